#!/usr/bin/python3
"""test_ingest_layouts - `baiot ingest` labels rows from every layout users
download N-BaIoT in, and `baiot info` reports them:

  * the UCI layout for two devices: <Device>/benign_traffic.csv,
    <Device>/gafgyt_attacks.rar (RAR4 holding combo.csv, tcp.csv),
    <Device>/mirai_attacks/ (ack.csv, udpplain.csv), walked as a folder,
    with UCI metadata CSVs (demonstrate_structure.csv, features.csv,
    device_info.csv) and non-CSV files around that must be skipped;
  * the flat copy (1.benign.csv, 1.gafgyt.udp.csv, 1.mirai.syn.csv), as a
    folder and as single files;
  * a deflated zip holding flat-named CSVs (plus a metadata CSV and a text
    member, skipped) and UCI-pathed members;
  * a 7z archive (made with bsdtar; that part is skipped if bsdtar is absent);
  * a single CSV labelled with --device/--family/--attack (forced labels also
    override a file's own name);
  * everything at once, and --append of one layout to another.
Rows per (device, family, attack), the total and the source list are checked.
"""
import os
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402
import make_rar4  # noqa: E402

_seed = [1000]
CH = ('--chunk-rows', '1024')   # small chunks: tiny stores stay tiny


def csv(n):
    """A fresh synthetic CSV (distinct bytes each call: the store refuses duplicates)."""
    _seed[0] += 1
    return G.csv_bytes(n, _seed[0])


def put(path, data):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def expect_table(store, expected, cwd, what):
    d = T.info(store, cwd=cwd)
    T.check(d['table'] == expected, '%s: rows per (device, family, attack)\n got      %r\n expected %r\n%s'
            % (what, sorted(d['table'].items()), sorted(expected.items()), d['text']))
    T.check(d['rows'] == sum(expected.values()), '%s: total rows %r, expected %d'
            % (what, d['rows'], sum(expected.values())))
    return d


def merge(*tables):
    out = {}
    for t in tables:
        for k, v in t.items():
            out[k] = out.get(k, 0) + v
    return out


def body(tmp):
    # ---- UCI layout, two devices -------------------------------------------------
    uci = os.path.join(tmp, 'uci')
    devs = {'Danmini_Doorbell': (7, 5, 6, 4, 3), 'Philips_B120N10_Baby_Monitor': (9, 2, 8, 5, 11)}
    uci_expect = {}
    for dev, (nb, ncombo, ntcp, nack, nplain) in devs.items():
        put(os.path.join(uci, dev, 'benign_traffic.csv'), csv(nb))
        make_rar4.write_rar(os.path.join(uci, dev, 'gafgyt_attacks.rar'),
                            [('combo.csv', csv(ncombo)), ('tcp.csv', csv(ntcp)),
                             ('readme.txt', b'not a csv\r\n'),
                             ('demonstrate_structure.csv', (G.HEADER + '\r\n').encode())])
        put(os.path.join(uci, dev, 'mirai_attacks', 'ack.csv'), csv(nack))
        put(os.path.join(uci, dev, 'mirai_attacks', 'udpplain.csv'), csv(nplain))
        # metadata and non-CSV files the walk must skip (parsing any would fail)
        put(os.path.join(uci, dev, 'features.csv'), b'index,feature\r\n1,MI_dir_L5_weight\r\n')
        put(os.path.join(uci, dev, 'notes.txt'), b'some notes\n')
        put(os.path.join(uci, dev, 'mirai_attacks', 'ack.csv.md5'), b'0123456789abcdef  ack.csv\n')
        uci_expect.update({(dev, 'benign', 'benign'): nb, (dev, 'gafgyt', 'combo'): ncombo,
                           (dev, 'gafgyt', 'tcp'): ntcp, (dev, 'mirai', 'ack'): nack,
                           (dev, 'mirai', 'udpplain'): nplain})
    if shutil.which('bsdtar'):   # the RAR4 writer's output is a valid archive for libarchive's own tool too
        rar = os.path.join(uci, 'Danmini_Doorbell', 'gafgyt_attacks.rar')
        listing = subprocess.run(['bsdtar', '-tf', rar], stdout=subprocess.PIPE, check=True).stdout.split()
        T.check(listing == [b'combo.csv', b'tcp.csv', b'readme.txt', b'demonstrate_structure.csv'],
                'bsdtar -tf of the RAR4 archive: %r' % listing)
        combo = subprocess.run(['bsdtar', '-xOf', rar, 'combo.csv'], stdout=subprocess.PIPE, check=True).stdout
        T.check(combo == G.csv_bytes(5, 1002), 'bsdtar -xOf of the RAR4 archive does not give the member back')
    put(os.path.join(uci, 'demonstrate_structure.csv'), (G.HEADER + '\r\n').encode())   # header only, as UCI's
    put(os.path.join(uci, 'device_info.csv'), b'device,ip\r\nDanmini_Doorbell,192.168.0.2\r\n')
    put(os.path.join(uci, 'N_BaIoT_dataset_description_v1.txt'), b'description\n')
    put(os.path.join(uci, 'README.md'), b'# readme\n')

    T.ok('ingest', 'uci', '-o', 'uci.h5', cwd=tmp)  # default chunking (a 60 MB file)
    d = expect_table('uci.h5', uci_expect, tmp, 'UCI folder walk')
    names = sorted(s[0] for s in d['sources'])
    want = sorted(['uci/%s/benign_traffic.csv' % dv for dv in devs] +
                  ['uci/%s/gafgyt_attacks.rar:%s' % (dv, m) for dv in devs for m in ('combo.csv', 'tcp.csv')] +
                  ['uci/%s/mirai_attacks/%s' % (dv, m) for dv in devs for m in ('ack.csv', 'udpplain.csv')])
    T.check(names == want, 'UCI sources: got %r\nexpected %r' % (names, want))
    first = 0
    for name, rows, first_row, sha in d['sources']:
        T.check(first_row == first, 'source %s starts at row %d, expected %d' % (name, first_row, first))
        first += rows

    # a single device folder and a single rar also label from the names around them
    T.ok('ingest', *CH, os.path.join('uci', 'Danmini_Doorbell', 'gafgyt_attacks.rar'), '-o', 'rar.h5', cwd=tmp)
    expect_table('rar.h5', {('Danmini_Doorbell', 'gafgyt', 'combo'): 5, ('Danmini_Doorbell', 'gafgyt', 'tcp'): 6},
                 tmp, 'a single UCI rar')
    T.ok('ingest', *CH, os.path.join('uci', 'Philips_B120N10_Baby_Monitor', 'mirai_attacks'), '-o', 'mirai.h5', cwd=tmp)
    expect_table('mirai.h5', {('Philips_B120N10_Baby_Monitor', 'mirai', 'ack'): 5,
                              ('Philips_B120N10_Baby_Monitor', 'mirai', 'udpplain'): 11},
                 tmp, 'a single mirai_attacks folder')

    # ---- flat copy ----------------------------------------------------------------
    flat = os.path.join(tmp, 'flat')
    put(os.path.join(flat, '1.benign.csv'), csv(12))
    put(os.path.join(flat, '1.gafgyt.udp.csv'), csv(4))
    put(os.path.join(flat, '1.mirai.syn.csv'), csv(6))
    put(os.path.join(flat, 'features.csv'), b'index,feature\r\n')
    put(os.path.join(flat, 'list.txt'), b'1.benign.csv\n')
    flat_expect = {('Danmini_Doorbell', 'benign', 'benign'): 12, ('Danmini_Doorbell', 'gafgyt', 'udp'): 4,
                   ('Danmini_Doorbell', 'mirai', 'syn'): 6}
    T.ok('ingest', *CH, 'flat', '-o', 'flat.h5', cwd=tmp)
    expect_table('flat.h5', flat_expect, tmp, 'flat folder')
    T.ok('ingest', *CH, 'flat/1.benign.csv', 'flat/1.gafgyt.udp.csv', 'flat/1.mirai.syn.csv', '-o', 'flat2.h5', cwd=tmp)
    d = expect_table('flat2.h5', flat_expect, tmp, 'flat files')
    T.check([s[0] for s in d['sources']] == ['flat/1.benign.csv', 'flat/1.gafgyt.udp.csv', 'flat/1.mirai.syn.csv'],
            'flat files: sources not in command-line order: %r' % d['sources'])

    # ---- zip, deflated --------------------------------------------------------------
    zip_expect = {('Provision_PT_737E_Security_Camera', 'benign', 'benign'): 10,
                  ('Provision_PT_737E_Security_Camera', 'gafgyt', 'scan'): 3,
                  ('Provision_PT_737E_Security_Camera', 'mirai', 'udp'): 8,
                  ('Ecobee_Thermostat', 'mirai', 'scan'): 5,
                  ('Ecobee_Thermostat', 'gafgyt', 'junk'): 2}
    with zipfile.ZipFile(os.path.join(tmp, 'flat.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('5.benign.csv', csv(10))
        z.writestr('5.gafgyt.scan.csv', csv(3))
        z.writestr('5.mirai.udp.csv', csv(8))
        z.writestr('Ecobee_Thermostat/mirai_attacks/scan.csv', csv(5))
        z.writestr('Ecobee_Thermostat/gafgyt_attacks/junk.csv', csv(2))
        z.writestr('demonstrate_structure.csv', G.HEADER + '\r\n')
        z.writestr('README.txt', 'readme\n')
    T.check(all(i.compress_type == zipfile.ZIP_DEFLATED
                for i in zipfile.ZipFile(os.path.join(tmp, 'flat.zip')).infolist()), 'zip is not deflated')
    T.ok('ingest', *CH, 'flat.zip', '-o', 'zip.h5', cwd=tmp)
    d = expect_table('zip.h5', zip_expect, tmp, 'deflated zip')
    T.check(len(d['sources']) == 5 and all(s[0].startswith('flat.zip:') for s in d['sources']),
            'zip sources: %r' % d['sources'])

    # ---- 7z -----------------------------------------------------------------------------
    seven_expect = {}
    if shutil.which('bsdtar'):
        sz = os.path.join(tmp, 'sz')
        put(os.path.join(sz, '8.gafgyt.junk.csv'), csv(7))
        put(os.path.join(sz, '8.mirai.scan.csv'), csv(3))
        subprocess.run(['bsdtar', '--format', '7zip', '-cf', os.path.join(tmp, 'x.7z'),
                        '8.gafgyt.junk.csv', '8.mirai.scan.csv'], cwd=sz, check=True)
        shutil.rmtree(sz)
        seven_expect = {('SimpleHome_XCS7_1002_WHT_Security_Camera', 'gafgyt', 'junk'): 7,
                        ('SimpleHome_XCS7_1002_WHT_Security_Camera', 'mirai', 'scan'): 3}
        T.ok('ingest', *CH, 'x.7z', '-o', '7z.h5', cwd=tmp)
        expect_table('7z.h5', seven_expect, tmp, '7z archive')
    else:
        print('note: bsdtar not found, skipping the 7z part (apt-get install libarchive-tools)')

    # ---- a single CSV labelled on the command line ------------------------------------------
    put(os.path.join(tmp, 'capture.csv'), csv(13))
    T.ok('ingest', *CH, 'capture.csv', '--device', '6', '--family', 'gafgyt', '--attack', 'combo', '-o', 'one.h5',
         cwd=tmp)
    expect_table('one.h5', {('Provision_PT_838_Security_Camera', 'gafgyt', 'combo'): 13}, tmp, '--device 6')
    T.ok('ingest', *CH, 'capture.csv', '--device', 'Samsung_SNH_1011_N_Webcam', '--family', 'benign', '-o', 'one2.h5',
         cwd=tmp)
    expect_table('one2.h5', {('Samsung_SNH_1011_N_Webcam', 'benign', 'benign'): 13}, tmp, '--device NAME')
    # forced labels win over the file's own name
    T.ok('ingest', *CH, 'flat/1.gafgyt.udp.csv', '--device', '9', '--family', 'mirai', '--attack', 'udpplain',
         '-o', 'forced.h5', cwd=tmp)
    expect_table('forced.h5', {('SimpleHome_XCS7_1003_WHT_Security_Camera', 'mirai', 'udpplain'): 4}, tmp,
                 'forced labels over a flat name')
    # an unlabelled name without the options is refused
    r = T.bad('ingest', 'capture.csv', '-o', 'none.h5', cwd=tmp)
    T.check('capture.csv' in r.err, 'unlabelled file: message does not name it:\n%r' % r)
    r = T.bad('ingest', 'capture.csv', '--device', '1', '--family', 'mirai', '--attack', 'junk', '-o', 'none.h5',
              cwd=tmp)
    T.check('junk' in r.err, 'junk is not a mirai attack: message does not say so:\n%r' % r)
    T.check(not os.path.exists(os.path.join(tmp, 'none.h5')), 'a refused ingest left none.h5')

    # ---- everything at once, then --append ------------------------------------------------
    srcs = ['uci', 'flat', 'flat.zip'] + (['x.7z'] if seven_expect else [])
    T.ok('ingest', *CH, *srcs, '-o', 'all.h5', cwd=tmp)
    expect_table('all.h5', merge(uci_expect, flat_expect, zip_expect, seven_expect), tmp, 'all layouts')
    T.ok('ingest', *CH, 'flat', '-o', 'app.h5', cwd=tmp)
    T.ok('ingest', *CH, 'uci', 'flat.zip', '-o', 'app.h5', '--append', cwd=tmp)
    d = expect_table('app.h5', merge(flat_expect, uci_expect, zip_expect), tmp, 'flat + append(uci, zip)')
    T.check(len(d['sources']) == 3 + 10 + 5, 'appended store has %d sources:\n%s' % (len(d['sources']), d['text']))


if __name__ == '__main__':
    T.main('ingest_layouts', body)
