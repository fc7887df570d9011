<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>messages</name>
    <message>
        <source>The database file is in use by another program and stayed locked. Close the other CounterDesk or backup program and try again; nothing was saved.</source>
        <translation>数据库文件正被其他程序占用，一直处于锁定状态。请关闭另一个 CounterDesk 或备份程序后重试；本次操作未保存任何内容。</translation>
    </message>
    <message>
        <source>The database file is read-only. Check the file's permissions or the disk, then start again; nothing was saved.</source>
        <translation>数据库文件为只读。请检查文件权限或磁盘后重新启动；本次操作未保存任何内容。</translation>
    </message>
    <message>
        <source>The disk is full. Free some space and try again; what was saved before is safe.</source>
        <translation>磁盘已满。请清理空间后重试；之前已保存的数据是安全的。</translation>
    </message>
    <message>
        <source>The database file is damaged or is not a CounterDesk database. Restore the latest backup (see the backups folder) or ask IT.</source>
        <translation>数据库文件已损坏或不是 CounterDesk 数据库。请恢复最近的备份（见 backups 文件夹）或联系信息技术人员。</translation>
    </message>
    <message>
        <source>The database file cannot be opened. Check that the folder exists and can be written to.</source>
        <translation>无法打开数据库文件。请检查文件夹是否存在且可写入。</translation>
    </message>
    <message>
        <source>The hall's database server does not answer. Check the network cable or ask IT; this counter cannot save until it is back.</source>
        <translation>营业厅数据库服务器无响应。请检查网线或联系信息技术人员；恢复之前本柜台无法保存。</translation>
    </message>
    <message>
        <source>The database named in the connection does not exist on the server. Check the --db setting.</source>
        <translation>连接中指定的数据库在服务器上不存在。请检查 --db 设置。</translation>
    </message>
    <message>
        <source>The database server refused the login. Check the user and password in the --db setting.</source>
        <translation>数据库服务器拒绝登录。请检查 --db 设置中的用户名和密码。</translation>
    </message>
    <message>
        <source>The database server's disk is full. Ask IT; what was saved before is safe.</source>
        <translation>数据库服务器磁盘已满。请联系信息技术人员；之前已保存的数据是安全的。</translation>
    </message>
    <message>
        <source>The connection to the hall's database server broke. Try again; nothing was half-saved.</source>
        <translation>与营业厅数据库服务器的连接中断。请重试；没有任何内容被部分保存。</translation>
    </message>
    <message>
        <source>The station code is 1 to 16 letters or digits.</source>
        <translation>网点编码为 1 至 16 位字母或数字。</translation>
    </message>
    <message>
        <source>Enter the station's name.</source>
        <translation>请输入网点名称。</translation>
    </message>
    <message>
        <source>A login name is 1 to 40 letters, digits, dots or underscores.</source>
        <translation>登录名为 1 至 40 位字母、数字、点或下划线。</translation>
    </message>
    <message>
        <source>Enter the clerk's name (at most 60 characters).</source>
        <translation>请输入营业员姓名（最多 60 个字符）。</translation>
    </message>
    <message>
        <source>A password has at least {count} characters.</source>
        <translation>密码至少 {count} 个字符。</translation>
    </message>
    <message>
        <source>Unknown role “{role}”.</source>
        <translation>未知角色“{role}”。</translation>
    </message>
    <message>
        <source>Enter the staff number (at most 20 characters).</source>
        <translation>请输入工号（最多 20 个字符）。</translation>
    </message>
    <message>
        <source>This store is already set up; log in instead.</source>
        <translation>此数据库已初始化，请直接登录。</translation>
    </message>
    <message>
        <source>Only an administrator can add clerks.</source>
        <translation>只有管理员可以添加营业员。</translation>
    </message>
    <message>
        <source>The login name “{login}” is taken.</source>
        <translation>登录名“{login}”已被使用。</translation>
    </message>
    <message>
        <source>The staff number “{staff_no}” is taken.</source>
        <translation>工号“{staff_no}”已被使用。</translation>
    </message>
    <message>
        <source>Wrong login name or password.</source>
        <translation>登录名或密码错误。</translation>
    </message>
    <message>
        <source>This login is locked after {count} wrong passwords; ask an administrator to unlock it.</source>
        <translation>密码连续错误 {count} 次，此账号已锁定；请联系管理员解锁。</translation>
    </message>
    <message>
        <source>Wrong login name or password. {left} tries left before the login is locked.</source>
        <translation>登录名或密码错误。再错 {left} 次账号将被锁定。</translation>
    </message>
    <message>
        <source>Wrong supervisor login name or password.</source>
        <translation>主管登录名或密码错误。</translation>
    </message>
    <message>
        <source>{name} is not a supervisor.</source>
        <translation>{name} 不是主管。</translation>
    </message>
    <message>
        <source>Only an administrator can unlock a login.</source>
        <translation>只有管理员可以解锁账号。</translation>
    </message>
    <message>
        <source>No clerk has the login name “{login}”.</source>
        <translation>没有登录名为“{login}”的营业员。</translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <translation>请输入金额。</translation>
    </message>
    <message>
        <source>“{text}” is not an amount of money.</source>
        <translation>“{text}”不是有效金额。</translation>
    </message>
    <message>
        <source>An amount has at most two decimals (fen).</source>
        <translation>金额最多两位小数（到分）。</translation>
    </message>
    <message>
        <source>The amount must be greater than zero.</source>
        <translation>金额必须大于零。</translation>
    </message>
    <message>
        <source>The amount is above 10,000,000 yuan; check what was typed.</source>
        <translation>金额超过 10,000,000 元，请核对输入。</translation>
    </message>
    <message>
        <source>A resident ID number has 18 characters; this one has {count}.</source>
        <translation>居民身份证号码为 18 位，此号码为 {count} 位。</translation>
    </message>
    <message>
        <source>A resident ID number is 17 digits followed by a digit or X.</source>
        <translation>居民身份证号码为 17 位数字加 1 位数字或 X。</translation>
    </message>
    <message>
        <source>The date of birth in the ID number ({birth}) does not exist.</source>
        <translation>身份证号码中的出生日期（{birth}）不存在。</translation>
    </message>
    <message>
        <source>The ID number's check digit is wrong; check the number on the card.</source>
        <translation>身份证号码校验位错误，请核对证件上的号码。</translation>
    </message>
    <message>
        <source>“{phone}” is not a mobile number (11 digits) or a landline number.</source>
        <translation>“{phone}”不是有效的手机号码（11 位）或固定电话号码。</translation>
    </message>
</context>
</TS>