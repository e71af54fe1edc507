import sys

from ietp_desktop.cli import main

sys.exit(main())
