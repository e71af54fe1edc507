"""IETP PV Desktop: the offline program for ICTI Ethical Toy Program Progress Visits."""

__version__ = "0.1.0"
