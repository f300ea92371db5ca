"""Allow ``python -m dpia_check``."""

from dpia_check.cli import main

if __name__ == "__main__":
    main()
