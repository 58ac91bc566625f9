#!/usr/bin/env python3
# Writes the seeds of the passkey fuzz targets (cbor_reader, cose_key, ceremony) from the responses
# recorded from Chromium in tests/data/webauthn/*.json (record.mjs there), plus a few hand-made
# hostile inputs. Standard library only; run it again when the recordings change.
import base64, json, pathlib

HERE = pathlib.Path(__file__).resolve().parent
RECORDINGS = HERE.parent / "data" / "webauthn"
CORPUS = HERE / "corpus"


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def cose_key_of(authenticator_data):
    # rpIdHash 32, flags 1, signCount 4, AAGUID 16, L 2, credential id L, then the key (no extensions here).
    length = int.from_bytes(authenticator_data[53:55], "big")
    return authenticator_data[55 + length:]


for path in sorted(RECORDINGS.glob("*.json")):
    name = path.stem
    recording = json.loads(path.read_text())
    registration = recording["registration"]["credential"]
    attestation = b64url(registration["response"]["attestationObject"])
    registration_data = b64url(registration["response"]["authenticatorData"])
    key = cose_key_of(registration_data)

    write("cbor_reader", f"{name}_attestation_object", attestation)
    write("cbor_reader", f"{name}_cose_key", key)
    write("cose_key", f"{name}_cose_key", key)
    write("ceremony", f"{name}_registration", b"\x00" + attestation)
    write("ceremony", f"{name}_registration_json", b"\x02" + json.dumps(registration).encode())
    for i, assertion in enumerate(recording["assertions"], 1):
        credential = assertion["credential"]
        data = b64url(credential["response"]["authenticatorData"])
        write("ceremony", f"{name}_assertion_{i}", b"\x01" + (i).to_bytes(4, "big") + data)
        write("ceremony", f"{name}_assertion_{i}_json", b"\x02" + json.dumps(credential).encode())

# Hostile CBOR: lying lengths, indefinite lengths, deep nesting, tags, floats, duplicate keys.
hostile = {
    "byte_string_of_4gib": bytes.fromhex("5affffffff00"),
    "array_of_2_pow_28": bytes.fromhex("9a100000000102"),
    "map_of_2_pow_63": bytes.fromhex("bb7fffffffffffffff0102"),
    "indefinite_array": bytes.fromhex("9f01ff"),
    "indefinite_bytes": bytes.fromhex("5f4100ff"),
    "nested_17": bytes.fromhex("81" * 17 + "00"),
    "tag_bignum": bytes.fromhex("c24101"),
    "half_float": bytes.fromhex("f93c00"),
    "duplicate_kty": bytes.fromhex("a3010201020326"),
}
for name, data in hostile.items():
    write("cbor_reader", name, data)
    write("cose_key", name, data)
    write("ceremony", f"{name}_registration", b"\x00" + data)
# COSE keys of other algorithms, key types and curves.
write("cose_key", "es384_p384", bytes.fromhex("a5010203382220022158200101010101010101010101010101010101010101010101010101010101010101225820" + "01" * 32))
write("cose_key", "x25519", bytes.fromhex("a4010103272004215820" + "07" * 32))
write("cose_key", "rsa_short_e", bytes.fromhex("a401030339010020410121430100 01".replace(" ", "")))
