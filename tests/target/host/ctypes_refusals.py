"""What ctypes says where NuttX cannot do what it asks: no symbol table of
the program (CDLL(None), pythonapi), and no shared libraries."""
import ctypes

try:
    ctypes.pythonapi.Py_Initialize
except AttributeError as e:
    print("pythonapi:", e)
try:
    ctypes.CDLL("/nonexistent/libm.so")
except OSError as e:
    print("CDLL:", e)
