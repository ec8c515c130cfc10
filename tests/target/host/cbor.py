"""A second package from PyPI doing its job on the board: cbor2 (pure
Python wheel) encodes a sensor reading and decodes it again."""
import cbor2

reading = {"sensor": "t1", "celsius": 21.5, "samples": [1, 2, 3], "ok": True}
data = cbor2.dumps(reading)
print("cbor =", data.hex())
print("roundtrip =", cbor2.loads(data) == reading)
