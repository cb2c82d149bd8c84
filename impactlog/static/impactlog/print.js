// A button marked data-print prints the page (the slip of a personal link, say).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});
