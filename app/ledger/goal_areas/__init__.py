"""A year's list of goal areas ("målområden"): `lists` reads and changes it."""
