#!/usr/bin/python3
"""watch_live.py - the highest replay rate `baiot watch --interface lo`
follows without a drop: a simulated Danmini_Doorbell benign capture
(`baiot synth --pcap`, BENCH_SCALE, default 0.2) is replayed by tcpreplay
on the loopback interface at increasing packet rates (BENCH_RATES, packets
per second, default 5000..400000 and tcpreplay's --topspeed) while watch
runs with the device's Gaussian-mixture detector and a BPF filter on the
capture's MAC addresses; after each replay watch is stopped with SIGINT and
its summary says how many packets it saw and how many libpcap dropped.
Prints one line per rate and the highest rate with every packet seen and
none dropped.  Needs root (CAP_NET_RAW) and tcpreplay; traffic stays on lo;
every replay is bounded (the capture's packets, 120 s).
Usage: bench/watch_live.py [BAIOT_BIN]   (figures in docs/WATCH.md)"""
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                                                           'build', 'baiot')


def macs_of(path):
    b = open(path, 'rb').read()
    macs, i = set(), 24
    while i + 16 <= len(b):
        cl = struct.unpack('<I', b[i + 8:i + 12])[0]
        macs.add(b[i + 16 + 6:i + 16 + 12].hex(':'))
        i += 16 + cl
    return sorted(macs), (len(b) > 24 and i) or 0


def count(path):
    b = open(path, 'rb').read()
    n, i = 0, 24
    while i + 16 <= len(b):
        i += 16 + struct.unpack('<I', b[i + 8:i + 12])[0]
        n += 1
    return n


def main():
    if os.geteuid() != 0:
        sys.exit('watch_live: needs root (live capture on lo)')
    scale = os.environ.get('BENCH_SCALE', '0.2')
    rates = os.environ.get('BENCH_RATES', '5000 10000 25000 50000 100000 200000 400000 top').split()
    tmp = tempfile.mkdtemp(prefix='watch-live-')
    store = os.path.join(tmp, 's.h5')
    subprocess.run([BIN, 'synth', '-q', '-o', store, '--device', '1', '--scale', scale, '--pcap',
                    os.path.join(tmp, 'pc')], check=True)
    subprocess.run([BIN, 'detect', store, '-q', '-o', os.path.join(tmp, 'det')], check=True)
    cap = os.path.join(tmp, 'pc', 'Danmini_Doorbell', 'benign_traffic.pcap')
    n = count(cap)
    macs, _ = macs_of(cap)
    filt = ' or '.join('ether src %s' % m for m in macs)
    print('machine: %s; load %s; capture %d packets' % (os.uname().nodename, open('/proc/loadavg').read().split()[:3],
                                                         n))
    best = None
    for rate in rates:
        p = subprocess.Popen([BIN, 'watch', '--interface', 'lo', '--filter', filt, '--model',
                              os.path.join(tmp, 'det', 'detector.model'), '--json', '-q'],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            time.sleep(1.5)
            t0 = time.time()
            speed = ['--topspeed'] if rate == 'top' else ['--pps=%s' % rate]
            subprocess.run(['tcpreplay', '-q', '--intf1=lo'] + speed + [cap], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120, check=True)
            dt = time.time() - t0
            time.sleep(1.0)
        finally:
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
        lines = [json.loads(x) for x in out.decode().splitlines() if x.strip()]
        s = lines[-1] if lines else {}
        seen, dropped = s.get('packets'), s.get('dropped')
        ok = seen == n and dropped == 0
        print('rate %s: replayed %d packets in %.2f s (%.0f/s); watch saw %s, dropped %s%s' % (
            rate, n, dt, n / dt, seen, dropped, '' if ok else '  <- lost'))
        if ok:
            best = (rate, n / dt)
    print('highest rate without a loss: %s' % ('%s (%.0f packets/s achieved)' % best if best else 'none'))


if __name__ == '__main__':
    main()
