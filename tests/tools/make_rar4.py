#!/usr/bin/python3
"""make_rar4.py - writes a RAR 4.x archive whose members are stored
(method 0x30, no compression), readable by libarchive / bsdtar / unrar.

The UCI N-BaIoT distribution ships gafgyt_attacks.rar and mirai_attacks.rar;
no free tool writes RAR, so the tests build small ones with this.

Layout (RAR 4.x "technote"): every block starts with HEAD_CRC (2 bytes,
low 16 bits of crc32 of the header from HEAD_TYPE on), HEAD_TYPE (1),
HEAD_FLAGS (2), HEAD_SIZE (2), all little-endian.
    marker block   52 61 72 21 1A 07 00
    archive header HEAD_TYPE 0x73, HEAD_SIZE 13, RESERVED1 (2), RESERVED2 (4)
    per file       HEAD_TYPE 0x74, flags 0x8000 (ADD_SIZE present), HEAD_SIZE,
                   PACK_SIZE (4), UNP_SIZE (4), HOST_OS (1), FILE_CRC (4, crc32
                   of the data), FTIME (4, DOS time), UNP_VER (1, 20),
                   METHOD (1, 0x30 store), NAME_SIZE (2), ATTR (4), name;
                   then the data
    end block      HEAD_TYPE 0x7B, flags 0x4000, HEAD_SIZE 7
Members must be under 4 GiB (no HIGH_PACK_SIZE).

As a module:  make_rar4.rar_bytes([(name, data), ...]) -> bytes
              make_rar4.write_rar(path, [(name, data), ...])
As a program: make_rar4.py OUT.rar FILE [FILE...]   (members named by basename,
              or NAME=FILE to choose the member name, e.g. sub/tcp.csv=/tmp/x.csv)
"""
import os
import struct
import sys
import zlib

MARKER = b'Rar!\x1a\x07\x00'
HOST_WIN32 = 2
HOST_UNIX = 3
DEFAULT_TIME = (2017, 10, 17, 12, 0, 0)   # the UCI files' date


def _crc16(header_from_type):
    return zlib.crc32(header_from_type) & 0xFFFF


def _block(head_type, flags, body):
    """A block: HEAD_CRC, HEAD_TYPE, HEAD_FLAGS, HEAD_SIZE, body."""
    size = 7 + len(body)
    rest = struct.pack('<BHH', head_type, flags, size) + body
    return struct.pack('<H', _crc16(rest)) + rest


def dos_time(y, mo, d, h, mi, s):
    return ((y - 1980) << 25) | (mo << 21) | (d << 16) | (h << 11) | (mi << 5) | (s // 2)


def rar_bytes(members, host_os=HOST_UNIX, when=DEFAULT_TIME):
    """The archive holding members, a list of (name, bytes) pairs, stored."""
    out = bytearray(MARKER)
    out += _block(0x73, 0x0000, struct.pack('<HI', 0, 0))          # archive header, size 13
    ftime = dos_time(*when)
    for name, data in members:
        if isinstance(name, str):
            name = name.encode('utf-8')
        if host_os == HOST_WIN32:
            name = name.replace(b'/', b'\\')
            attr = 0x20                                             # FILE_ATTRIBUTE_ARCHIVE
        else:
            attr = 0o100644                                         # st_mode of a regular file
        if len(data) >= 1 << 32:
            raise ValueError('member too large for this writer (no HIGH_PACK_SIZE)')
        body = struct.pack('<IIBIIBBHI', len(data), len(data), host_os, zlib.crc32(data) & 0xFFFFFFFF,
                           ftime, 20, 0x30, len(name), attr) + name
        out += _block(0x74, 0x8000, body)
        out += data
    out += _block(0x7B, 0x4000, b'')                                # end of archive, size 7
    return bytes(out)


def write_rar(path, members, **kw):
    """Writes the archive to path; returns its bytes."""
    data = rar_bytes(members, **kw)
    with open(path, 'wb') as f:
        f.write(data)
    return data


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2 or argv[0] in ('-h', '--help'):
        print(__doc__.strip().splitlines()[0])
        print('usage: make_rar4.py OUT.rar [NAME=]FILE [[NAME=]FILE...]')
        return 0 if argv and argv[0] in ('-h', '--help') else 2
    members = []
    for spec in argv[1:]:
        name, sep, path = spec.partition('=')
        if not sep:
            name, path = os.path.basename(spec), spec
        with open(path, 'rb') as f:
            members.append((name, f.read()))
    write_rar(argv[0], members)
    return 0


if __name__ == '__main__':
    sys.exit(main())
