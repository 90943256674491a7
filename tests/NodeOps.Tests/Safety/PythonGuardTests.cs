using NodeOps.Safety;

namespace NodeOps.Tests.Safety;

public class PythonGuardTests
{
    [Theory]
    [InlineData("import os\nos.system('rm -rf /')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import os\nos.system(\"sudo \" + \"reboot\")", GuardRuleIds.PowerAction)]
    [InlineData("import os\nos.popen('dd if=/dev/zero of=/dev/sda').read()", GuardRuleIds.DdToDevice)]
    [InlineData("import subprocess\nsubprocess.run('mkfs.ext4 /dev/sdb1', shell=True)", GuardRuleIds.FormatDevice)]
    [InlineData("import subprocess\nsubprocess.run(['rm', '-rf', '/'])", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import subprocess\nsubprocess.check_call(('wipefs', '-a', '/dev/sdb'))", GuardRuleIds.WipeDevice)]
    [InlineData("import subprocess as sp\nsp.Popen(['shutdown', '-h', 'now'])", GuardRuleIds.PowerAction)]
    [InlineData("from subprocess import check_output\ncheck_output(\"chmod -R 777 /\", shell=True)", GuardRuleIds.RecursivePermissionChange)]
    [InlineData("from os import system as run_it\nrun_it('mv /etc /tmp')", GuardRuleIds.MoveSystemPath)]
    [InlineData("import subprocess\nsubprocess.run(args=['rm', '-rf', '/usr'])", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import os\nos.execvp('rm', ['rm', '-rf', '/etc'])", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import os\nos.execl('/bin/rm', 'rm', '-rf', '/')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("CMD = 'rm -rf /var'\nimport os\nos.system(CMD)", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import shutil\nshutil.rmtree('/')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import shutil\nshutil.rmtree(path='/etc/')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import shutil\nshutil.move('/usr', '/tmp/usr')", GuardRuleIds.MoveSystemPath)]
    [InlineData("import os\nos.rename('/boot', '/boot.old')", GuardRuleIds.MoveSystemPath)]
    [InlineData("with open('/dev/sda', 'wb') as disk:\n    disk.write(b'\\0' * 512)", GuardRuleIds.WriteToDevice)]
    [InlineData("open('/proc/sysrq-trigger', 'w').write('b')", GuardRuleIds.SysrqTrigger)]
    [InlineData("import os\nos.system(f'rm -rf /')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import os\nos.system('''\nrm -rf /home\n''')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import os\nos.system(r'r\\m -rf /')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import os\nos.system('rm ' '-rf ' + '/etc')", GuardRuleIds.DeleteSystemPath)]
    [InlineData("import os\nos.system(f'{{x}}; rm -rf /')", GuardRuleIds.DeleteSystemPath)]
    public void CheckPython_DestructiveCall_IsBlocked(string source, string ruleId)
    {
        Assert.Equal(ruleId, DangerousCommandGuard.CheckPython(source).RuleId);
    }

    [Theory]
    [InlineData("print('rm -rf /')")]
    [InlineData("# os.system('rm -rf /')\nprint('ok')")]
    [InlineData("x = \"os.system('rm -rf /')\"")]
    [InlineData("import os\nos.system('df -h')")]
    [InlineData("import subprocess\nsubprocess.run(['systemctl', 'restart', 'kubelet'], check=True)")]
    [InlineData("import subprocess\nsubprocess.run(['rm', '-rf', '/tmp/build'])")]
    [InlineData("import shutil\nshutil.rmtree('/var/lib/app/cache')")]
    [InlineData("import shutil\nshutil.rmtree(path)")]
    [InlineData("import os\nos.system(f'rm -rf {target}')")]
    [InlineData("with open('/tmp/out.txt', 'w') as f:\n    f.write('x')")]
    [InlineData("data = open('/dev/sda', 'rb').read(512)")]
    [InlineData("import asyncio\nasyncio.run(main())")]
    public void CheckPython_HarmlessCode_IsAllowed(string source)
    {
        var verdict = DangerousCommandGuard.CheckPython(source);

        Assert.False(verdict.IsBlocked, $"blocked by {verdict.RuleId}: {verdict.Command}");
    }

    [Fact]
    public void CheckPython_PowerActionWhenAllowed_IsAllowed()
    {
        var options = new GuardOptions { AllowPowerActions = true };

        Assert.False(DangerousCommandGuard.CheckPython("import os\nos.system('reboot')", options).IsBlocked);
    }

    [Fact]
    public void CheckPython_Verdict_ShowsTheCall()
    {
        var verdict = DangerousCommandGuard.CheckPython("import shutil\nshutil.rmtree( '/' )\n");

        Assert.Equal("shutil.rmtree( '/' )", verdict.Command);
    }
}
