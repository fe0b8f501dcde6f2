"""QEMU harness for the Signpost image tests (tests/image/).

Boots a copy of the built disk image under qemu-system-x86_64 (TCG, OVMF)
or qemu-system-aarch64 (-M virt), with:
  - the serial console on a Unix socket, logged to a file, and a root shell
    there (the image's signpost-serial-shell@ unit, turned on by
    signpost.serial_shell=1 on the kernel command line);
  - QMP for screendump (PNG) and a hard power cut (SIGKILL of QEMU);
  - user-mode networking restricted to one forwarded address: the guest's
    http://10.0.2.100/ is a server on this machine's 127.0.0.1, nothing else.

Also: reading and writing the image's partitions without loop devices
(mtools for FAT, debugfs for ext4), and reading the text console off a
screendump with the console font (PSF2), glyph by glyph.

Standard library plus Pillow (python3-pil). Used by test-image.py,
power-cut.py and boot-arm64.py.
"""
import atexit
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
# No AVX2: Mesa's llvmpipe (the guest's GL, with no GPU) samples textures
# with AVX2 gathers, and QEMU 7.2's TCG runs them wrong: the kiosk
# segfaulted at its first textured draw (dmesg: vpgatherdd). Real CPUs are
# not affected; LP_NATIVE_VECTOR_WIDTH=128 in the guest also avoids it.
X86_CPU = os.environ.get("SIGNPOST_QEMU_CPU", "max,avx2=off")


def log(msg):
    sys.stdout.write("[%7.1fs] %s\n" % (time.monotonic() - T0, msg))
    sys.stdout.flush()


T0 = time.monotonic()


# ---- the image on disk --------------------------------------------------------
class Image:
    """A copy of the built image, with the partition offsets from build-info."""

    def __init__(self, raw, build_info, workdir, grow_mb=1024):
        self.info = {}
        for line in open(build_info):
            k, _, v = line.strip().partition("=")
            self.info[k] = v
        self.path = os.path.join(workdir, "disk.img")
        # Sparse copy, then a bigger "card": the data partition grows into it.
        subprocess.run(["cp", "--sparse=always", raw, self.path], check=True)
        if grow_mb:
            size = os.path.getsize(self.path)
            os.truncate(self.path, size + grow_mb * 1024 * 1024)
        self.workdir = workdir

    def part_offset(self, n):
        return int(self.info["p%d" % n]) * 512

    def part_size(self, n):
        out = subprocess.run(["sfdisk", "-J", self.path], check=True, capture_output=True, text=True).stdout
        for p in json.loads(out)["partitiontable"]["partitions"]:
            if p["node"].endswith(str(n)) and p["start"] * 512 == self.part_offset(n):
                return p["size"] * 512
        raise KeyError(n)

    def fat_put(self, name, data):
        """Writes a file onto the FAT boot partition (what a technician does on a PC)."""
        src = os.path.join(self.workdir, "fat-put.tmp")
        with open(src, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        target = "%s@@%d" % (self.path, self.part_offset(1))
        subprocess.run(["mcopy", "-o", "-i", target, src, "::" + name], check=True, env=env)
        os.unlink(src)

    def fat_get(self, name):
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        target = "%s@@%d" % (self.path, self.part_offset(1))
        return subprocess.run(["mtype", "-i", target, "::" + name], check=True, env=env,
                              capture_output=True).stdout

    def extract_part(self, n, dest):
        """Copies partition n out to a file (sparse)."""
        off, size = self.part_offset(n), self.part_size(n)
        with open(self.path, "rb") as src, open(dest, "wb") as dst:
            src.seek(off)
            left = size
            while left:
                block = src.read(min(left, 4 << 20))
                if not block:
                    break
                if block.count(0) == len(block):
                    dst.seek(len(block), 1)
                else:
                    dst.write(block)
                left -= len(block)
            dst.truncate(size)
        return dest

    def part_sha256(self, n):
        import hashlib
        h = hashlib.sha256()
        off, size = self.part_offset(n), self.part_size(n)
        with open(self.path, "rb") as f:
            f.seek(off)
            left = size
            while left:
                block = f.read(min(left, 4 << 20))
                h.update(block)
                left -= len(block)
        return h.hexdigest()


def debugfs(fs_image, request, write=False):
    args = ["debugfs"] + (["-w"] if write else []) + ["-R", request, fs_image]
    return subprocess.run(args, capture_output=True, text=True)


# ---- a running machine ------------------------------------------------------------
_VMS = []


@atexit.register
def _power_off_all():
    """No QEMU outlives the test, even one that stopped on an exception."""
    for vm in _VMS:
        if vm.alive():
            os.killpg(vm.proc.pid, signal.SIGKILL)
            vm.proc.wait()


class VM:
    def __init__(self, image, workdir, arch="x86_64", mem=1536, smp=2, http_port=None,
                 size=(800, 480), name="vm", kernel=None, initrd=None, append=None, drive=None):
        self.image, self.workdir, self.name = image, workdir, name
        self.size = size
        self.serial_log = os.path.join(workdir, name + "-serial.log")
        self.qmp_path = os.path.join(workdir, name + "-qmp.sock")
        self.ser_path = os.path.join(workdir, name + "-serial.sock")
        for p in (self.qmp_path, self.ser_path):
            if os.path.exists(p):
                os.unlink(p)
        net = "user,id=n0,restrict=on"
        if http_port:
            net += ",guestfwd=tcp:10.0.2.100:80-tcp:127.0.0.1:%d" % http_port
        if arch == "x86_64":
            vars_copy = os.path.join(workdir, name + "-vars.fd")
            shutil.copy(OVMF_VARS, vars_copy)
            cmd = ["qemu-system-x86_64", "-machine", "q35,accel=tcg", "-cpu", X86_CPU,
                   "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + OVMF_CODE,
                   "-drive", "if=pflash,format=raw,unit=1,file=" + vars_copy,
                   "-device", os.environ.get("SIGNPOST_QEMU_VGA", "virtio-vga") + ",xres=%d,yres=%d" % size]
        else:
            cmd = ["qemu-system-aarch64", "-machine", "virt", "-cpu", "cortex-a72",
                   "-device", "virtio-gpu-pci,xres=%d,yres=%d" % size,
                   "-kernel", kernel, "-initrd", initrd, "-append", append]
        cmd += ["-smp", str(smp), "-m", str(mem), "-display", "none", "-no-reboot",
                "-drive", "file=%s,format=raw,if=virtio,cache=writeback" % (drive or image.path),
                "-netdev", net, "-device", "virtio-net-pci,netdev=n0",
                "-chardev", "socket,id=s0,path=%s,server=on,wait=off" % self.ser_path,
                "-serial", "chardev:s0",
                "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci"]
        self.cmd = cmd
        self.buf = ""
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(
            os.path.join(workdir, name + "-qemu.log"), "w"), start_new_session=True)
        _VMS.append(self)
        self.ser = self._connect(self.ser_path)
        self.qmp = self._connect(self.qmp_path)
        self.qmp_file = self.qmp.makefile("rw")
        self.qmp_file.readline()
        self._qmp("qmp_capabilities")
        self.logf = open(self.serial_log, "a")
        self.reader = threading.Thread(target=self._read_serial, daemon=True)
        self.reader.start()

    def _connect(self, path):
        deadline = time.monotonic() + 30
        while True:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                return s
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("qemu did not start: see %s-qemu.log" % self.name)
                time.sleep(0.1)

    def _read_serial(self):
        while True:
            try:
                data = self.ser.recv(65536)
            except OSError:
                return
            if not data:
                return
            text = data.decode("utf-8", "replace")
            with self.lock:
                self.buf += text
            self.logf.write(text)
            self.logf.flush()

    def _qmp(self, command, **args):
        self.qmp_file.write(json.dumps({"execute": command, "arguments": args}) + "\n")
        self.qmp_file.flush()
        while True:
            line = self.qmp_file.readline()
            if not line:
                raise RuntimeError("QMP closed")
            msg = json.loads(line)
            if "return" in msg or "error" in msg:
                return msg

    def elapsed(self):
        return time.monotonic() - self.started

    def alive(self):
        return self.proc.poll() is None

    def wait_for(self, pattern, timeout, since=0):
        """Waits for a regex on the serial console; returns the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                m = rx.search(self.buf, since)
            if m:
                return m
            if not self.alive():
                raise RuntimeError("the machine stopped while waiting for %r" % pattern)
            time.sleep(0.2)
        raise TimeoutError("no %r on the serial console in %ds (log: %s)" % (pattern, timeout, self.serial_log))

    def mark(self):
        with self.lock:
            return len(self.buf)

    def send(self, text):
        self.ser.sendall(text.encode())

    def shell_ready(self, timeout=600):
        self.wait_for(r"root@[\w-]+:~#", timeout)
        # Wait until the shell has run this: a command typed before
        # `stty -echo` takes effect would be echoed into its own output.
        # (The quotes keep the echoed line from matching the marker.)
        start = self.mark()
        self.send("stty -echo cols 400; export SYSTEMD_PAGER= PAGER=cat TERM=dumb; echo @@SHELL\"\"-READY@@\n")
        self.wait_for(r"@@SHELL-READY@@", timeout, since=start)

    def run(self, command, timeout=120):
        """Runs a command in the serial root shell: (exit status, output)."""
        tag = "%08x" % (int(time.monotonic() * 1000) & 0xffffffff)
        start = self.mark()
        self.send("%s; echo \"@@END-%s-\"$?\"@@\"\n" % (command, tag))
        m = self.wait_for(r"@@END-%s-(\d+)@@" % tag, timeout, since=start)
        with self.lock:
            out = self.buf[start:m.start()]
        out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out).replace("\r", "")
        out = re.sub(r"^.*?root@[\w-]+:~# ?", "", out, flags=re.M)  # earlier prompts
        return int(m.group(1)), out.strip("\n")

    def screendump(self, path):
        r = self._qmp("screendump", filename=path, format="png")
        if "error" in r:
            raise RuntimeError("screendump: %s" % r["error"])
        return path

    def tap(self, x, y):
        """A touch at pixel (x, y) through the virtio tablet (an absolute
        pointer). SDL 2.26's evdev passes such a device's raw axis values on
        as pixels, unscaled (touch screens are scaled; later SDL scales these
        too), so the axis value sent is the pixel itself; and it applies a
        button at the pointer's previous position, so the move goes first."""
        steps = [[{"type": "abs", "data": {"axis": "x", "value": int(x)}},
                  {"type": "abs", "data": {"axis": "y", "value": int(y)}}],
                 [{"type": "btn", "data": {"down": True, "button": "left"}}],
                 [{"type": "btn", "data": {"down": False, "button": "left"}}]]
        for events in steps:
            r = self._qmp("input-send-event", events=events)
            if "error" in r:
                raise RuntimeError("input-send-event: %s" % r["error"])
            time.sleep(0.3)

    def power_cut(self):
        """Pulls the plug: SIGKILL, no shutdown, nothing flushed by the guest."""
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.close()

    def shutdown(self, timeout=180):
        if self.alive():
            try:
                self.send("systemctl poweroff\n")
            except OSError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.power_cut()
        self.close()

    def close(self):
        for s in (self.ser, self.qmp):
            try:
                s.close()
            except OSError:
                pass
        self.logf.close() if not self.logf.closed else None


# ---- reading the screen ---------------------------------------------------------
def load_psf(path):
    """PSF2 console font -> (width, height, {bitmap rows tuple: char})."""
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    import struct
    magic, _, hsize, flags, count, charsize, height, width = struct.unpack("<8I", data[:32])
    if magic != 0x864AB572:
        raise ValueError("not a PSF2 font: %s" % path)
    glyphs = [data[hsize + i * charsize:hsize + (i + 1) * charsize] for i in range(count)]
    chars = {}
    if flags & 1:
        pos = hsize + count * charsize
        table = data[pos:]
        i = 0
        for g in range(count):
            end = table.index(b"\xff", i)
            seq = table[i:end]
            i = end + 1
            # UTF-8 code points (sequences after 0xFE are combining forms: skipped)
            first = seq.split(b"\xfe")[0].decode("utf-8", "replace")
            for ch in first:
                chars.setdefault(g, ch)
    rowbytes = (width + 7) // 8
    out = {}
    for g, bits in enumerate(glyphs):
        ch = chars.get(g)
        if ch is None:
            continue
        rows = tuple(int.from_bytes(bits[r * rowbytes:(r + 1) * rowbytes], "big") >> (rowbytes * 8 - width)
                     for r in range(height))
        out.setdefault(rows, ch)
    return width, height, out


def read_console(png, font):
    """The text on a screendump of the Linux text console, as lines."""
    from PIL import Image as PILImage
    width, height, glyphs = font
    img = PILImage.open(png).convert("L")
    w, h = img.size
    px = img.load()
    lines = []
    for row in range(h // height):
        text = []
        for col in range(w // width):
            rows = []
            for y in range(height):
                v = 0
                for x in range(width):
                    v = (v << 1) | (1 if px[col * width + x, row * height + y] > 96 else 0)
                rows.append(v)
            rows = tuple(rows)
            if not any(rows):
                text.append(" ")
            else:
                text.append(glyphs.get(rows, "?"))
        lines.append("".join(text).rstrip())
    return lines


def compare_screens(shot, reference):
    """Fraction of pixels within a small colour distance of the reference."""
    from PIL import Image as PILImage
    a = PILImage.open(shot).convert("RGB")
    b = PILImage.open(reference).convert("RGB")
    if a.size != b.size:
        return 0.0, "sizes differ: %s vs %s" % (a.size, b.size)
    pa, pb = a.getdata(), b.getdata()
    same = sum(1 for x, y in zip(pa, pb) if abs(x[0] - y[0]) + abs(x[1] - y[1]) + abs(x[2] - y[2]) <= 48)
    return same / float(len(pa)), ""


def screen_stats(png):
    """(fraction of near-black pixels, number of distinct colours)."""
    from PIL import Image as PILImage
    img = PILImage.open(png).convert("RGB")
    data = list(img.getdata())
    dark = sum(1 for p in data if p[0] + p[1] + p[2] < 40)
    return dark / float(len(data)), len(set(data))


# ---- a feed server on 127.0.0.1 ------------------------------------------------------
class FeedServer:
    """Serves files from a folder on 127.0.0.1 (an ephemeral port), in a thread;
    the guest reaches it as http://10.0.2.100/. Stops when the test ends."""

    def __init__(self, root):
        import http.server
        import functools
        handler = functools.partial(_QuietHandler, directory=root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()


try:
    import http.server as _hs

    class _QuietHandler(_hs.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
except ImportError:  # pragma: no cover
    pass


def tmpdir(prefix):
    base = os.environ.get("SIGNPOST_IMAGE_TEST_DIR", "/var/tmp/signpost-image-test")
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix=prefix, dir=base)
