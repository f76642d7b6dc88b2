"""Reading at any size: keyset pages of long lists (keyset.py) and figures computed once per
change of the data (figures.py)."""
