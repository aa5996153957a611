"""Use cases over a unit of work. Qt-free: the CLI and the GUI call the same functions."""
