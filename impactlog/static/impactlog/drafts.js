// Signing out removes every draft kept in this browser: youth centres share tablets.
// The sign-out response also says Clear-Site-Data: "storage"; browsers honour that only over
// HTTPS (or on localhost), so the page clears the drafts itself as well.
(function () {
  "use strict";
  function clearDrafts() {
    try {
      var storage = window.localStorage;
      for (var i = storage.length - 1; i >= 0; i -= 1) {
        var name = storage.key(i);
        if (name && (name.indexOf("impactlog.draft.") === 0 || name.indexOf("session-draft-") === 0)) {
          storage.removeItem(name);
        }
      }
    } catch (e) { /* storage switched off: nothing was kept */ }
  }
  document.addEventListener("submit", function (event) {
    if (event.target instanceof HTMLFormElement && event.target.hasAttribute("data-sign-out")) {
      clearDrafts();
    }
  });
}());
