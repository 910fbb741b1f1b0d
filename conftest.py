# Keep `python -m exactmin` from running when pytest imports modules for doctests.
collect_ignore = ["exactmin/__main__.py", "exactmin/check/__main__.py"]
