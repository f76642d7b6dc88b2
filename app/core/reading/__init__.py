"""Reading at any size: keyset pages of long lists (keyset.py), figures computed once per
change of the data (figures.py) and sums kept up to date as rows change (tally.py)."""
