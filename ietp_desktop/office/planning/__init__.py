"""The planning board: PVs due by region, blackout periods, assignments sent to laptops."""
