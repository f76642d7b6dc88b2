"""What every PDF of the app shares: the fonts, styles and page frame (styles), and measuring
long tables once (table)."""
