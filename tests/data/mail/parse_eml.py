#!/usr/bin/python3
"""Parses one RFC 5322 message file with Python's email package (an independent reader) and
prints what the mail tests check, as JSON: headers (decoded), bodies (decoded), defects, and
line facts of the raw bytes."""
import email
import email.policy
import email.utils
import json
import sys

raw = open(sys.argv[1], "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.default)

defects = [repr(d) for d in msg.defects]
for part in msg.walk():
    defects += [repr(d) for d in part.defects]

def body(kind):
    """The decoded body with line ends as a mail client shows them (LF)."""
    part = msg.get_body(preferencelist=(kind,))
    return part.get_content().replace("\r\n", "\n") if part is not None else None

date_ok = False
try:
    date_ok = email.utils.parsedate_to_datetime(str(msg["Date"])) is not None
except Exception:
    pass

lines = raw.split(b"\n")
print(json.dumps({
    "from": str(msg["From"] or ""),
    "to": str(msg["To"] or ""),
    "subject": str(msg["Subject"] or ""),
    "message_id": str(msg["Message-ID"] or ""),
    "mime_version": str(msg["MIME-Version"] or ""),
    "mail_from": str(msg["X-MailFrom"] or ""),
    "content_type": msg.get_content_type(),
    "parts": [p.get_content_type() for p in msg.walk()],
    "date_ok": date_ok,
    "text": body("plain"),
    "html": body("html"),
    "defects": defects,
    "max_line_length": max(len(l.rstrip(b"\r")) for l in lines),
    "bare_lf": any(not l.endswith(b"\r") for l in lines[:-1]),
}))
