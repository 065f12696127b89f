"""The public pages, a module each."""
