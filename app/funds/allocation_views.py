"""The page of one allocation: its lines and grants, and closing or reopening its year."""
