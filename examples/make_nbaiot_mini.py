#!/usr/bin/python3
"""make_nbaiot_mini.py - (re)writes examples/nbaiot-mini, the small example
data set the README's first command ingests.

It is made by the project's own generator (tests/tools/make_nbaiot_csv.py),
not taken from N-BaIoT, in the UCI folder layout users download:
    Provision_PT_737E_Security_Camera/benign_traffic.csv
    Provision_PT_737E_Security_Camera/gafgyt_attacks.rar   (tcp.csv, udp.csv; RAR4, stored)
    Provision_PT_737E_Security_Camera/mirai_attacks/ack.csv
    Ecobee_Thermostat/benign_traffic.csv
Deterministic: running it again gives the same bytes.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "tools"))
import make_nbaiot_csv as gen  # noqa: E402
import make_rar4  # noqa: E402

ROWS = 40
out = os.path.join(here, "nbaiot-mini")
cam = os.path.join(out, "Provision_PT_737E_Security_Camera")
thermo = os.path.join(out, "Ecobee_Thermostat")
os.makedirs(os.path.join(cam, "mirai_attacks"), exist_ok=True)
os.makedirs(thermo, exist_ok=True)
gen.write_csv(os.path.join(cam, "benign_traffic.csv"), ROWS, 1)
gen.write_csv(os.path.join(cam, "mirai_attacks", "ack.csv"), ROWS, 2)
gen.write_csv(os.path.join(thermo, "benign_traffic.csv"), ROWS, 3)
make_rar4.write_rar(os.path.join(cam, "gafgyt_attacks.rar"),
                    [("tcp.csv", gen.csv_bytes(ROWS, 4)), ("udp.csv", gen.csv_bytes(ROWS, 5))])
print("wrote", out)
