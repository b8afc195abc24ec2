"""The image library: uploads made safe (processing.py) and stored with
their renditions (library.py)."""
