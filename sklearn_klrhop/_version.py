"""The package version, recorded in every pickled memory."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

VERSION = "0.1.0.dev0"
