"""The analyst review: the machine proposes handoffs, the analyst decides in Excel, and the
decisions are kept in the store and shown in every answer.

- :mod:`.workbook`: ``export_review`` writes the review workbook;
- :mod:`.apply`: ``apply_review`` checks an edited workbook (or CSV) and stores its decisions;
- :mod:`.reviewed`: ``reviewed_handoffs``, the handoffs every answer reads;
- :mod:`.status`: ``review_status``, how far the review of each list has come.
"""

from __future__ import annotations

from .reviewed import review_state, reviewed_handoffs, unapplied_corrections

__all__ = ["review_state", "reviewed_handoffs", "unapplied_corrections"]
