"""Surveys and feedback (issue 12): questionnaires built here or imported as XLSForm, answered
anonymously by link, QR code, kiosk or a worker's tablet, and results shown only above the
network's survey thresholds. See docs/architecture.md, "Surveys"."""
