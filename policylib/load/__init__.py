"""Loading a rule pack: files in, a checked ``Pack`` out, or every problem in one error."""

from policylib.load.files import MAX_FILE_BYTES, bundled_pack
from policylib.load.pack import load_pack

__all__ = ["MAX_FILE_BYTES", "bundled_pack", "load_pack"]
