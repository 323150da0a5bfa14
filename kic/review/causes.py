"""Cause codes (oorzaken) a reviewer gives a finding: where the error came from.

The defaults follow the usual split in Dutch quality reports (mens, proces, systeem,
regelgeving) plus the client's own share (inlichtingenplicht not met), so that the
verbeteragenda can aim an action at the right owner.
"""

CAUSES: tuple[str, ...] = ("mens", "proces", "systeem", "regelgeving", "klant")
