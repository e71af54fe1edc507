"""The office's review of each received visit: new, in review, accepted or returned."""
