"""Personal QR cards for the kiosk: a young person checks in by showing their card to the
tablet's camera (docs/privacy.md, "Kiosk cards").

The QR holds `IL1-<organisation id>-<secret>`; only the secret's keyed hash is stored, so a card
is printed once, when it is issued, and printing again issues a new card."""
