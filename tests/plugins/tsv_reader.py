"""A small reader registered the way a third party's would be, for testing the ingest driver.

Format (``*.tsv-test``): ``post_id<TAB>account_id<TAB>created_at<TAB>text``; a line ``ACCOUNT<TAB>id<TAB>handle``
is an account record; ``BOOM`` makes the reader fail (a reader bug).
"""

from __future__ import annotations

from lockstep.ingest import FieldError, Reader, Record, Rejection, build_account, build_post, register_reader
from lockstep.ingest._base import iter_lines


@register_reader
class TsvTestReader(Reader):
    name = "tsv-test"
    platform = "test"
    description = "test-only tab-separated posts"

    @classmethod
    def sniff(cls, sample):
        return 0.95 if sample.name.endswith(".tsv-test") else 0.0

    def read(self, stream, path):
        for n, line in iter_lines(stream):
            if not line:
                continue
            if line == "BOOM":
                raise RuntimeError("reader bug")
            parts = line.split("\t")
            try:
                if parts[0] == "ACCOUNT":
                    yield Record(n, None, [build_account(platform=self.row_platform, account_id=parts[1], handle=parts[2])])
                    continue
                if len(parts) != 4:
                    yield Rejection(n, f"expected 4 fields, found {len(parts)}", None, line)
                    continue
                post = build_post(platform=self.row_platform, post_id=parts[0], account_id=parts[1],
                                  created_at=parts[2], text=parts[3])
                yield Record(n, post, [build_account(platform=self.row_platform, account_id=parts[1], handle="h_" + parts[1])])
            except FieldError as e:
                yield Rejection(n, e.reason, e.field, line)
