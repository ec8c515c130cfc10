"""The board's user LEDs from Python: nuttx_periphery (the package the
image carries) switches LED 0, and a ctypes Structure is filled by the
driver's ioctl."""
import ctypes
import fcntl
import os

from nuttx_periphery import UserLED
from nuttx_periphery.ioctl_consts import ULEDIOC_SUPPORTED


class LedSet(ctypes.Structure):
    _fields_ = [("bits", ctypes.c_uint32)]  # userled_set_t


with UserLED("/dev/userleds") as leds:
    leds.set_led(0, True)
    print("led 0 after on =", leds.get_all() & 1)
    supported = LedSet()
    fd = os.open("/dev/userleds", os.O_RDWR)
    try:
        fcntl.ioctl(fd, ULEDIOC_SUPPORTED, supported)  # the driver writes into it
    finally:
        os.close(fd)
    print("supported =", bin(supported.bits))
    leds.set_led(0, False)
    print("led 0 after off =", leds.get_all() & 1)
