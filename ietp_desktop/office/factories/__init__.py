"""The office's factory register: list with PV window states, add, edit, import a list."""
