"""ctypes on the board: sizes, memory helpers, and calls through libffi
both ways (Python -> C function pointer -> Python callback)."""
import ctypes
import ctypes.util

print("pointer size =", ctypes.sizeof(ctypes.c_void_p))
src = ctypes.create_string_buffer(b"hello world")
dst = ctypes.create_string_buffer(16)
ctypes.memmove(dst, src, len(src))
print("memmove =", dst.value)
chars = ctypes.cast(src, ctypes.POINTER(ctypes.c_char))
print("cast =", chars[4])
print("string_at =", ctypes.string_at(ctypes.addressof(src), 5))


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int16), ("y", ctypes.c_int32)]


print("structure =", ctypes.sizeof(Point), Point(3, -4).y)
BINARY = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)
callback = BINARY(lambda a, b: a * 10 + b)
# The callback's C address, called as a plain C function pointer: ffi_call
# into the closure libffi built, which calls back into Python.
through_c = BINARY(ctypes.cast(callback, ctypes.c_void_p).value)
print("callback =", through_c(4, 2))
# A callback taking pointers, as C libraries' comparison functions do.
COMPARE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
compare = COMPARE(lambda a, b: a[0] - b[0])
print("compare =", compare(ctypes.byref(ctypes.c_int(7)), ctypes.byref(ctypes.c_int(5))) > 0)
print("find_library =", ctypes.util.find_library("c"))
