import sys
from pathlib import Path

# Import the package from the checkout without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
