"""Starting and correcting an allocation in the web, and its budget's versions tied to
decisions (preliminary, decided and frozen, revised)."""
