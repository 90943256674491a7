# -*- coding: utf-8 -*-
# NodeOps callback plugin: writes one JSON object per line for every play, task and per-host result, and the
# final recap, to the file named by NODEOPS_EVENTS_FILE. NodeOps tails that file for live progress and takes its
# per-host results and recap from it, never from the human-readable output.
#
# It also watches its parent: when the NodeOps process that started ansible-playbook goes away, the whole
# process group of the run is stopped, so a crashed instance leaves no playbook running behind it.
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = '''
    name: nodeops_events
    type: notification
    short_description: JSON lines per task and host for NodeOps
    description:
      - Writes play, task, per-host result and recap events as JSON lines to the file in NODEOPS_EVENTS_FILE.
    requirements:
      - enable in configuration (callbacks_enabled)
'''

import atexit
import json
import os
import shutil
import signal
import subprocess
import threading
import time

from ansible.plugins.callback import CallbackBase

MAX_TEXT = 1000
SCHEMA = 1


def _text(value):
    if value is None:
        return None
    if not isinstance(value, str):
        try:
            value = json.dumps(value, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            value = str(value)
    value = value.strip()
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT] + '...'
    return value


def _int_or_none(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _close_masters(run_dir):
    # ssh ControlPersist masters detach into sessions of their own; ask each to exit through its socket.
    sockets = os.path.join(run_dir, 'cp')
    try:
        names = os.listdir(sockets)
    except OSError:
        return
    for name in names:
        try:
            subprocess.run(['ssh', '-F', '/dev/null', '-o', 'ControlPath=' + os.path.join(sockets, name), '-O', 'exit', 'nodeops'],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=5, check=False)
        except (OSError, subprocess.SubprocessError):
            pass


def _kill_others(group):
    # Workers and ssh clients of this run: everything in the process group but this process.
    me = os.getpid()
    try:
        names = os.listdir('/proc')
    except OSError:
        return
    for name in names:
        if not name.isdigit() or int(name) == me:
            continue
        try:
            if os.getpgid(int(name)) == group:
                os.kill(int(name), signal.SIGKILL)
        except OSError:
            pass


def _orphaned(parent_pid):
    return os.getppid() != parent_pid


def _clean_up(run_dir):
    # Masters first (their sockets are in the folder), then the folder; files a worker is still writing may need
    # a second pass.
    if not run_dir:
        return
    _close_masters(run_dir)
    for _ in range(3):
        shutil.rmtree(run_dir, ignore_errors=True)
        if not os.path.exists(run_dir):
            return
        time.sleep(0.1)


def _watch_parent(parent_pid, run_dir):
    # Runs in the controller process only: forked workers do not inherit threads. When NodeOps is gone, nobody
    # will record this run's results: remove its private folder (it may hold a key), then kill the whole group,
    # this process included. Cleaning up comes first: once the workers die, the controller may exit and take
    # this (daemon) thread with it.
    while True:
        time.sleep(1.0)
        if _orphaned(parent_pid):
            group = os.getpgrp()
            _clean_up(run_dir)
            _kill_others(group)
            _clean_up(run_dir)
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass
            return


def _at_exit(parent_pid, run_dir):
    # The controller may also end on its own once NodeOps is gone (a write to the closed output pipe fails).
    if _orphaned(parent_pid):
        _clean_up(run_dir)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'nodeops_events'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._out = None
        self._lock = threading.Lock()
        path = os.environ.get('NODEOPS_EVENTS_FILE')
        if path:
            # NodeOps creates the file 0600; should it be missing, it is created private all the same.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            self._out = os.fdopen(fd, 'a', encoding='utf-8', buffering=1)
        parent = os.environ.get('NODEOPS_PARENT_PID')
        if parent and parent.isdigit():
            run_dir = os.environ.get('NODEOPS_RUN_DIR')
            watcher = threading.Thread(target=_watch_parent, args=(int(parent), run_dir), name='nodeops-parent-watch')
            watcher.daemon = True
            watcher.start()
            atexit.register(_at_exit, int(parent), run_dir)

    def _emit(self, event, **fields):
        if self._out is None:
            return
        fields['v'] = SCHEMA
        fields['event'] = event
        fields['ts'] = round(time.time(), 3)
        line = json.dumps(fields, default=str, ensure_ascii=False)
        with self._lock:
            self._out.write(line + '\n')
            self._out.flush()

    # ---- playbook, play, task ----

    def v2_playbook_on_start(self, playbook):
        self._emit('playbook_start', pid=os.getpid(), pgid=os.getpgrp())

    def v2_playbook_on_play_start(self, play):
        self._emit('play_start', play=_text(play.get_name()), check_mode=bool(getattr(play, 'check_mode', False)))

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit('task_start', task=_text(task.get_name()), uuid=task._uuid, handler=False)

    def v2_playbook_on_handler_task_start(self, task):
        self._emit('task_start', task=_text(task.get_name()), uuid=task._uuid, handler=True)

    def v2_playbook_on_no_hosts_matched(self):
        self._emit('no_hosts_matched')

    def v2_playbook_on_no_hosts_remaining(self):
        self._emit('no_hosts_remaining')

    # ---- per host ----

    def v2_runner_on_start(self, host, task):
        self._emit('host_start', host=host.get_name(), task=_text(task.get_name()), uuid=task._uuid)

    def v2_runner_on_ok(self, result):
        status = 'changed' if result._result.get('changed', False) else 'ok'
        self._result(status, result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result('ignored' if ignore_errors else 'failed', result)

    def v2_runner_on_skipped(self, result):
        self._result('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._result('unreachable', result)

    def v2_runner_retry(self, result):
        self._emit('host_retry', host=result._host.get_name(), task=_text(result._task.get_name()),
                   attempts=result._result.get('attempts'), retries=result._result.get('retries'))

    def _result(self, status, result):
        res = result._result
        hidden = bool(res.get('_ansible_no_log') or getattr(result._task, 'no_log', False))
        message = None
        if hidden:
            message = 'the output has been hidden (no_log)'
        else:
            for key in ('msg', 'stderr', 'reason', 'stdout'):
                value = res.get(key)
                if value:
                    message = _text(value)
                    break
        self._emit(
            'host_result',
            host=result._host.get_name(),
            task=_text(result._task.get_name()),
            uuid=result._task._uuid,
            status=status,
            changed=bool(res.get('changed', False)),
            rc=None if hidden else _int_or_none(res.get('rc')),
            message=message)

    # ---- recap ----

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for host in sorted(stats.processed.keys()):
            summary = stats.summarize(host)
            hosts[host] = {
                'ok': summary['ok'],
                'changed': summary['changed'],
                'failed': summary['failures'],
                'unreachable': summary['unreachable'],
                'skipped': summary['skipped'],
                'rescued': summary['rescued'],
                'ignored': summary['ignored'],
            }
        self._emit('stats', hosts=hosts)
