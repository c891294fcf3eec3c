#!/usr/bin/env python
"""Same as the installed `lift` command."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from lift.manage import main

if __name__ == "__main__":
    main()
