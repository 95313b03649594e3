#!/usr/bin/python3
"""test_report_dir.py - a report folder is built under a hidden temporary
name beside it and swapped in whole (io/files/atomic_dir.c, used by run,
bulk and demo through baiot_study_write_report):
 - a second run replaces the folder (a new folder, not files written one
   by one into the old one): an earlier report's file the new run does not
   write is gone, a file no report writes (notes.txt; the demo's store) is
   kept;
 - a write failure (a file size limit: the same path as a full disk) exits
   1 naming the real cause ("File too large", not a missing plot driver),
   the earlier folder byte-identical, no temporary left (it used to leave a
   half-written folder and blame plplot-driver-cairo);
 - a dead process's temporary folder is removed by the next run into the
   same folder, a live process's is left alone;
 - a folder holding a subfolder, a path that is a file, and '.' are
   refused before anything is written.
Each case failed before (docs/RELIABILITY.md)."""
import hashlib
import os
import resource
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402


def digest(d):
    out = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), 'rb') as f:
            out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def hidden(parent):
    return sorted(n for n in os.listdir(parent) if '.tmp-' in n)


def body(tmp):
    j = lambda *p: os.path.join(tmp, *p)  # noqa: E731
    T.ok('synth', '-q', '--devices', 'Ecobee_Thermostat', '--scale', '0.01', '-o', j('s.h5'))
    rep = j('out', 'rep')
    T.ok('run', '-q', j('s.h5'), '-o', rep)
    T.expect('a new report folder is complete', os.path.isfile(os.path.join(rep, 'report.json')))
    T.expect('no temporary beside it', not hidden(j('out')), str(hidden(j('out'))))

    # replaced whole; files no report writes are kept
    open(os.path.join(rep, 'notes.txt'), 'w').write('mine\n')
    open(os.path.join(rep, 'roc_gone.png'), 'wb').write(b'an earlier report\'s plot')
    inode = os.stat(rep).st_ino
    T.ok('run', '-q', j('s.h5'), '-o', rep)
    T.expect('the folder is a new one (swapped in whole)', os.stat(rep).st_ino != inode)
    T.expect('a file no report writes is kept', open(os.path.join(rep, 'notes.txt')).read() == 'mine\n')
    T.expect('an earlier report\'s file the new run does not write is gone',
             not os.path.exists(os.path.join(rep, 'roc_gone.png')))
    T.expect('no temporary beside it after a replace', not hidden(j('out')), str(hidden(j('out'))))

    # a write failure: the old folder as it was, the real cause named
    before = digest(rep)

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (40 * 1024, 40 * 1024))
    p = subprocess.run([T.baiot_bin(), 'run', '-q', j('s.h5'), '-o', rep], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, preexec_fn=limit, timeout=300)
    err = p.stderr.decode()
    T.expect('a failed write: exit 1', p.returncode == 1, err)
    T.expect('the message names the real cause', 'File too large' in err and 'plplot' not in err.lower(), err)
    T.expect('the message names the report folder', "report folder '%s'" % rep in err, err)
    T.expect('the earlier folder is byte-identical', digest(rep) == before)
    T.expect('no temporary left by the failure', not hidden(j('out')), str(hidden(j('out'))))

    # temporaries: a dead process's removed, a live one's kept
    dead = subprocess.Popen(['true'])
    dead.wait()
    stale = j('out', '.rep.tmp-%d-1' % dead.pid)
    os.mkdir(stale)
    open(os.path.join(stale, 'report.md'), 'w').write('half')
    live = j('out', '.rep.tmp-%d-1' % os.getpid())
    os.mkdir(live)
    T.ok('run', '-q', j('s.h5'), '-o', rep)
    T.expect('a dead process\'s temporary folder is removed', not os.path.exists(stale))
    T.expect('a live process\'s temporary folder is left alone', os.path.isdir(live))
    os.rmdir(live)

    # refused before anything is written
    os.mkdir(os.path.join(rep, 'sub'))
    r = T.run('run', '-q', j('s.h5'), '-o', rep)
    T.expect('a folder holding a subfolder is refused', r.rc == 2 and "holds the folder 'sub'" in r.err, repr(r))
    T.expect('... and kept', os.path.isdir(os.path.join(rep, 'sub')) and os.path.isfile(os.path.join(rep, 'notes.txt')))
    open(j('afile'), 'w').write('x')
    r = T.run('run', '-q', j('s.h5'), '-o', j('afile'))
    T.expect('a file as the report folder is refused', r.rc == 2 and 'not a folder' in r.err, repr(r))
    T.expect('... and untouched', open(j('afile')).read() == 'x')
    r = T.run('run', '-q', j('s.h5'), '-o', '.', cwd=j('out'))
    T.expect("'.' is refused", r.rc == 2 and 'by its name' in r.err, repr(r))


T.main('report_dir', body)
