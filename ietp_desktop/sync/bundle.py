"""The public face of sync bundles: import from here."""

from ietp_desktop.sync.errors import BundleRefused
from ietp_desktop.sync.manifest import FORMAT_VERSION, KINDS, VisitRef
from ietp_desktop.sync.model import (
    BundleInfo,
    BundleLimits,
    BundleReport,
    PayloadEntry,
    PayloadSource,
    SignerInfo,
)
from ietp_desktop.sync.reader import VerifiedBundle, open_bundle, verify_bundle
from ietp_desktop.sync.writer import write_bundle

__all__ = [
    "FORMAT_VERSION",
    "KINDS",
    "BundleInfo",
    "BundleLimits",
    "BundleRefused",
    "BundleReport",
    "PayloadEntry",
    "PayloadSource",
    "SignerInfo",
    "VerifiedBundle",
    "VisitRef",
    "open_bundle",
    "verify_bundle",
    "write_bundle",
]
