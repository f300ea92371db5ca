"""Allow ``python -m dpia_check``."""

from dpia_check.cli import entry

if __name__ == "__main__":
    entry()
