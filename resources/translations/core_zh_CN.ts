<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>none yet (empty store)</source>
        <translation>尚无（空库）</translation>
    </message>
    <message>
        <source>{revision} (up to date)</source>
        <translation>{revision}（最新）</translation>
    </message>
    <message>
        <source>{revision} (this program expects {expected})</source>
        <translation>{revision}（本程序需要 {expected}）</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>SQLite 文件</translation>
    </message>
    <message>
        <source>PostgreSQL server</source>
        <translation>PostgreSQL 服务器</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Schema revision</source>
        <translation>数据库结构版本</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>程序</translation>
    </message>
    <message>
        <source>Python / Qt</source>
        <translation>Python / Qt</translation>
    </message>
    <message>
        <source>System</source>
        <translation>操作系统</translation>
    </message>
    <message>
        <source>About CounterDesk</source>
        <translation>关于营业厅柜台</translation>
    </message>
    <message>
        <source>CounterDesk {version}</source>
        <translation>营业厅柜台 CounterDesk {version}</translation>
    </message>
    <message>
        <source>Runs on Windows 10 and 11 and on Debian-based Linux (UOS, Kylin); Windows 7 is not supported.</source>
        <translation>可在 Windows 10、11 及基于 Debian 的 Linux（统信 UOS、麒麟）上运行；不支持 Windows 7。</translation>
    </message>
    <message>
        <source>Copy for support</source>
        <translation>复制给技术支持</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <source>New account</source>
        <translation>新建户号</translation>
    </message>
    <message>
        <source>Edit account</source>
        <translation>修改户号</translation>
    </message>
    <message>
        <source>Account no. (empty: next number)</source>
        <translation>户号（留空自动编号）</translation>
    </message>
    <message>
        <source>Account name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Supply address</source>
        <translation>用电地址</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Usage category</source>
        <translation>用电类别</translation>
    </message>
    <message>
        <source>Voltage level</source>
        <translation>电压等级</translation>
    </message>
    <message>
        <source>Contracted capacity (kVA)</source>
        <translation>合同容量（kVA）</translation>
    </message>
    <message>
        <source>Reading route</source>
        <translation>抄表段</translation>
    </message>
    <message>
        <source>Order in route</source>
        <translation>抄表顺序</translation>
    </message>
    <message>
        <source>Transformer area</source>
        <translation>台区</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Household size</source>
        <translation>家庭人口</translation>
    </message>
    <message>
        <source>Tariff code</source>
        <translation>电价代码</translation>
    </message>
    <message>
        <source>Days until a bill is due</source>
        <translation>账单缴费期限（天）</translation>
    </message>
    <message>
        <source>Extra tier quantity per month</source>
        <translation>每月阶梯增加量</translation>
    </message>
    <message>
        <source>Free quantity per month</source>
        <translation>每月免费量</translation>
    </message>
</context>
<context>
    <name>BackupStatus</name>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Today&apos;s copy of the store is being made and checked.</source>
        <translation>正在制作并检查今天的数据备份。</translation>
    </message>
    <message>
        <source>An administrator chooses the folder under Tools &gt; Backups….</source>
        <translation>由管理员在“工具 &gt; 备份…”中选择文件夹。</translation>
    </message>
    <message>
        <source>NO BACKUP FOLDER</source>
        <translation>未设备份文件夹</translation>
    </message>
    <message>
        <source>No folder is chosen for the daily backups.</source>
        <translation>尚未为每日备份选择文件夹。</translation>
    </message>
    <message>
        <source>BACKUP FOLDER MISSING</source>
        <translation>备份文件夹不在</translation>
    </message>
    <message>
        <source>The backup folder %1 is not there: plug the disk or USB stick in.</source>
        <translation>备份文件夹 %1 不存在：请插上硬盘或U盘。</translation>
    </message>
    <message>
        <source>NO BACKUP YET</source>
        <translation>尚无备份</translation>
    </message>
    <message>
        <source>No checked copy is in %1 yet.</source>
        <translation>%1 中还没有经过检查的备份。</translation>
    </message>
    <message>
        <source>LAST BACKUP %1</source>
        <translation>最近备份 %1</translation>
    </message>
    <message>
        <source>The last checked copy in %1 is more than two days old.</source>
        <translation>%1 中最近一份经过检查的备份已超过两天。</translation>
    </message>
    <message>
        <source>Backup %1</source>
        <translation>备份 %1</translation>
    </message>
    <message>
        <source>The last checked copy is in %1.</source>
        <translation>最近一份经过检查的备份在 %1。</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Every day CounterDesk copies the store to this folder while the counter works and checks the copy (its audit log must verify). 7 daily and 4 weekly copies are kept. Choose a second disk or a USB stick: a copy on the same disk is lost with it.</source>
        <translation>CounterDesk 每天在营业的同时把数据复制到这个文件夹，并检查副本（审计日志必须校验通过）。保留最近7天的每日副本和4个每周副本。请选择另一块硬盘或U盘：放在同一块硬盘上的副本会随硬盘一起丢失。</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Choose the folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>已检查</translation>
    </message>
    <message>
        <source>FAILED its check</source>
        <translation>检查未通过</translation>
    </message>
    <message>
        <source>Copies in the folder:</source>
        <translation>文件夹中的副本：</translation>
    </message>
    <message>
        <source>No copies in the folder yet.</source>
        <translation>文件夹中还没有副本。</translation>
    </message>
    <message>
        <source>This store is not a file on this computer; its backups are made on the server.</source>
        <translation>数据不在本机文件中，由服务器负责备份。</translation>
    </message>
    <message>
        <source>The copy is being made in the background; the status bar shows when it is done.</source>
        <translation>正在后台制作副本，完成后状态栏会显示。</translation>
    </message>
    <message>
        <source>Save a backup folder that is there first.</source>
        <translation>请先保存一个存在的备份文件夹。</translation>
    </message>
</context>
<context>
    <name>CLI</name>
    <message>
        <source>(default)</source>
        <translation>（默认值）</translation>
    </message>
    <message>
        <source>%1: %2 -&gt; %3</source>
        <translation>%1：%2 -&gt; %3</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Record a contact</source>
        <translation>记录接触</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Yes: this is the first contact of %1</source>
        <translation>是：这是 %1 的首次联系</translation>
    </message>
    <message>
        <source>(due by %1)</source>
        <translation>（须在 %1 前）</translation>
    </message>
    <message>
        <source>First contact</source>
        <translation>首次联系</translation>
    </message>
    <message>
        <source>What was asked or done</source>
        <translation>客户诉求或办理内容</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Edit customer</source>
        <translation>修改客户档案</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <source>Customer kind</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>Contact address</source>
        <translation>联系地址</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>客户关系</translation>
    </message>
    <message>
        <source>Important customer</source>
        <translation>重要客户</translation>
    </message>
    <message>
        <source>Credit score (0-100)</source>
        <translation>信用分（0-100）</translation>
    </message>
    <message>
        <source>Documents seen</source>
        <translation>已查验证件</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Text messages</source>
        <translation>短信通知</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒收</translation>
    </message>
</context>
<context>
    <name>CustomerScreen</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>客户关系</translation>
    </message>
    <message>
        <source>Important customer</source>
        <translation>重要客户</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>信用</translation>
    </message>
    <message>
        <source>Customer since</source>
        <translation>建档日期</translation>
    </message>
    <message>
        <source>Edit customer (F9)</source>
        <translation>修改档案 (F9)</translation>
    </message>
    <message>
        <source>New account</source>
        <translation>新建户号</translation>
    </message>
    <message>
        <source>Record contact (F7)</source>
        <translation>记录接触 (F7)</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Voltage</source>
        <translation>电压</translation>
    </message>
    <message>
        <source>%1: route %2 · transformer area %3 · %4</source>
        <translation>%1：抄表段 %2 · 台区 %3 · %4</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Supply address</source>
        <translation>用电地址</translation>
    </message>
    <message>
        <source>Edit account</source>
        <translation>修改户号</translation>
    </message>
    <message>
        <source>New meter</source>
        <translation>新装电表</translation>
    </message>
    <message>
        <source>Edit meter</source>
        <translation>修改电表</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Registers</source>
        <translation>示数类型</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>位数</translation>
    </message>
    <message>
        <source>Multiplier</source>
        <translation>倍率</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>装表日期</translation>
    </message>
    <message>
        <source>Contact history</source>
        <translation>接触记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>FirstStartWizard</name>
    <message>
        <source>CounterDesk — first start</source>
        <translation>CounterDesk — 首次启动</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Keep the receipts on screen for now; choose the printer later under Tools &gt; Receipt printer…</source>
        <translation>收据暂时在屏幕上显示；以后在“工具 &gt; 收据打印机…”中选择打印机</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>This counter has no data yet. How is it set up?</source>
        <translation>本柜台还没有数据。如何设置？</translation>
    </message>
    <message>
        <source>A new station</source>
        <translation>新网点</translation>
    </message>
    <message>
        <source>This computer keeps the station&apos;s data itself. Enter the station and its administrator.</source>
        <translation>由本机保存网点的数据。请填写网点和管理员。</translation>
    </message>
    <message>
        <source>Join the hall&apos;s server</source>
        <translation>连接营业厅服务器</translation>
    </message>
    <message>
        <source>The hall&apos;s counters share one PostgreSQL server that is set up already. Enter its address.</source>
        <translation>营业厅各柜台共用一台已设置好的 PostgreSQL 服务器。请填写其地址。</translation>
    </message>
    <message>
        <source>A station file from the centre</source>
        <translation>中心下发的网点文件</translation>
    </message>
    <message>
        <source>The centre prepared this station (a file on a USB stick and its passphrase).</source>
        <translation>中心已为本网点准备好数据（U盘上的文件及其口令）。</translation>
    </message>
    <message>
        <source>The station and its administrator; clerks are added later (Administration menu).</source>
        <translation>网点及其管理员；营业员以后再添加（管理菜单）。</translation>
    </message>
    <message>
        <source>Station code</source>
        <translation>网点编码</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>网点名称</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Service hotline</source>
        <translation>服务热线</translation>
    </message>
    <message>
        <source>Administrator login</source>
        <translation>管理员登录名</translation>
    </message>
    <message>
        <source>Administrator name</source>
        <translation>管理员姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The address of the hall&apos;s PostgreSQL server, as IT gave it: either whole, or part by part. The connection is tried before anything is saved.</source>
        <translation>按信息部门提供的填写营业厅 PostgreSQL 服务器地址：整条填写，或分项填写。保存之前会先试连接。</translation>
    </message>
    <message>
        <source>Address (URL)</source>
        <translation>地址（URL）</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Test the connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>The station file the centre wrote for this station (counterdesk sync provision) and the passphrase given with it.</source>
        <translation>中心为本网点生成的网点文件（counterdesk sync provision）及随附的口令。</translation>
    </message>
    <message>
        <source>Station file</source>
        <translation>网点文件</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Choose the file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Where this counter&apos;s receipts go. These settings belong to this computer; print a test page later under Tools &gt; Receipt printer…</source>
        <translation>本柜台的收据打印到哪里。这些设置只属于本机；以后可在“工具 &gt; 收据打印机…”中打印测试页</translation>
    </message>
    <message>
        <source>Receipts go to</source>
        <translation>收据输出到</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Printer device</source>
        <translation>打印机设备</translation>
    </message>
    <message>
        <source>Send receipts as</source>
        <translation>收据发送方式</translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation>管理员密码</translation>
    </message>
    <message>
        <source>Welcome to CounterDesk</source>
        <translation>欢迎使用 CounterDesk</translation>
    </message>
    <message>
        <source>Step 2 of 3: the new station</source>
        <translation>第2步/共3步：新网点</translation>
    </message>
    <message>
        <source>Step 2 of 3: the hall&apos;s server</source>
        <translation>第2步/共3步：营业厅服务器</translation>
    </message>
    <message>
        <source>Step 2 of 3: the station file</source>
        <translation>第2步/共3步：网点文件</translation>
    </message>
    <message>
        <source>Step 3 of 3: the receipt printer</source>
        <translation>第3步/共3步：收据打印机</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>The server answers: a CounterDesk store (schema %1) with %2 stations and %3 clerks.</source>
        <translation>服务器已应答：CounterDesk 数据库（结构版本 %1），共 %2 个网点、%3 名营业员。</translation>
    </message>
    <message>
        <source>The station file from the centre</source>
        <translation>中心下发的网点文件</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>Finding a customer</source>
        <translation>查找客户</translation>
    </message>
    <message>
        <source>The customer screen</source>
        <translation>客户界面</translation>
    </message>
    <message>
        <source>Taking a payment (F4)</source>
        <translation>收费（F4）</translation>
    </message>
    <message>
        <source>Keys at the counter</source>
        <translation>柜台快捷键</translation>
    </message>
    <message>
        <source>&lt;p&gt;Type anything the customer gives you: account number, name, pinyin initials (zsf for 张三丰) or full pinyin, phone number or its last 4 digits, the last digits of the ID number, meter number or part of the address. Results appear as you type.&lt;/p&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;Scan&lt;/b&gt; a bill, receipt, work order or account barcode: the customer opens at once.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Enter&lt;/b&gt; opens the customer when only one matches; with several, the list gets the keyboard: ↑↓ choose, Enter opens.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Esc&lt;/b&gt; clears the search field.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F5&lt;/b&gt; registers a new customer; &lt;b&gt;F6&lt;/b&gt; registers a matter even without a customer.&lt;/li&gt;
&lt;/ul&gt;</source>
        <translation>&lt;p&gt;客户报什么就输入什么：户号、姓名、拼音首字母（张三丰输入 zsf）或全拼、手机号或其后4位、证件号后几位、表号或地址的一部分。边输入边出结果。&lt;/p&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;扫描&lt;/b&gt;账单、收据、工单或户号条码：直接打开客户。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;回车&lt;/b&gt;：只有一位客户相符时直接打开；有多位时光标进入列表：↑↓ 选择，回车打开。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Esc&lt;/b&gt; 清空查找框。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F5&lt;/b&gt; 新建客户；&lt;b&gt;F6&lt;/b&gt; 登记事项（没有客户也可以）。&lt;/li&gt;
&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The left half shows who the customer is (ID number and phone masked), the accounts with their balance and the meters of the selected account, and the prepaid balance. The right half shows open matters, bills, payments and the contact history. The strip on top warns of arrears, overdue matters, complaints waiting for a first contact, important customers and planned outages: read it first.&lt;/p&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;F4&lt;/b&gt; takes a payment for the selected account; &lt;b&gt;F8&lt;/b&gt; prints the selected bill.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F7&lt;/b&gt; records a contact; &lt;b&gt;F6&lt;/b&gt; registers a matter; &lt;b&gt;F9&lt;/b&gt; edits the customer.&lt;/li&gt;
&lt;li&gt;Reprint a receipt or reverse a payment (冲正) with the buttons under the payments.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Esc&lt;/b&gt; closes the customer and goes back to the search field.&lt;/li&gt;
&lt;/ul&gt;</source>
        <translation>&lt;p&gt;左半边是客户是谁（证件号和电话已脱敏）、各户号及余额、所选户号的电表，以及预存余额。右半边是未办结事项、账单、缴费和接触记录。顶部提示条提醒欠费、超期事项、待首次联系的投诉、重要客户和计划停电：先看它。&lt;/p&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;F4&lt;/b&gt; 为所选户号收费；&lt;b&gt;F8&lt;/b&gt; 打印所选账单。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F7&lt;/b&gt; 记录接触；&lt;b&gt;F6&lt;/b&gt; 登记事项；&lt;b&gt;F9&lt;/b&gt; 修改客户资料。&lt;/li&gt;
&lt;li&gt;缴费列表下方的按钮可补打收据或冲正。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Esc&lt;/b&gt; 关闭客户，回到查找框。&lt;/li&gt;
&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;What is owed is listed oldest first, late fees counted to today. The amount starts at the whole of it; type less for a part payment or more for a prepayment.&lt;/p&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;Alt+1…4&lt;/b&gt; choose cash, bank card, QR code or transfer. For cash, type what the customer hands over: the change is shown large. For the others, type the terminal or transaction reference.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Enter&lt;/b&gt; shows a one-screen summary with the customer&apos;s name; check it with the customer, then Enter again posts the payment and prints the receipt.&lt;/li&gt;
&lt;li&gt;A printer problem never loses a payment: the receipt waits in Counter → Unprinted receipts.&lt;/li&gt;
&lt;/ul&gt;</source>
        <translation>&lt;p&gt;应缴费用按从早到晚列出，违约金算到今天。金额默认是全部应缴；少输为部分缴费，多输为预存。&lt;/p&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;Alt+1…4&lt;/b&gt; 选择现金、银行卡、扫码或转账。现金请输入客户递来的金额，找零以大字显示；其他方式请输入终端或交易参考号。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;回车&lt;/b&gt;显示一屏确认信息（含客户姓名），与客户核对后再按回车入账并打印收据。&lt;/li&gt;
&lt;li&gt;打印机出问题不会丢失缴费：收据会留在“柜台 → 未打印收据”中。&lt;/li&gt;
&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;ul&gt;
&lt;li&gt;&lt;b&gt;F1&lt;/b&gt; this guide · &lt;b&gt;F2&lt;/b&gt; find · &lt;b&gt;Esc&lt;/b&gt; close the customer or clear the search&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F4&lt;/b&gt; take a payment · &lt;b&gt;F5&lt;/b&gt; new customer · &lt;b&gt;F6&lt;/b&gt; register a matter · &lt;b&gt;F7&lt;/b&gt; record a contact&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F8&lt;/b&gt; print a bill · &lt;b&gt;F9&lt;/b&gt; edit the customer · &lt;b&gt;F10&lt;/b&gt; price calculator&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Ctrl+L&lt;/b&gt; receipt register · &lt;b&gt;Ctrl+Q&lt;/b&gt; matter queues · &lt;b&gt;Ctrl+R&lt;/b&gt; meter readings&lt;/li&gt;
&lt;li&gt;Counter → Log out hands the counter to the next clerk.&lt;/li&gt;
&lt;/ul&gt;</source>
        <translation>&lt;ul&gt;
&lt;li&gt;&lt;b&gt;F1&lt;/b&gt; 本说明 · &lt;b&gt;F2&lt;/b&gt; 查找 · &lt;b&gt;Esc&lt;/b&gt; 关闭客户或清空查找&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F4&lt;/b&gt; 收费 · &lt;b&gt;F5&lt;/b&gt; 新建客户 · &lt;b&gt;F6&lt;/b&gt; 登记事项 · &lt;b&gt;F7&lt;/b&gt; 记录接触&lt;/li&gt;
&lt;li&gt;&lt;b&gt;F8&lt;/b&gt; 打印账单 · &lt;b&gt;F9&lt;/b&gt; 修改客户 · &lt;b&gt;F10&lt;/b&gt; 电费试算&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Ctrl+L&lt;/b&gt; 收据登记簿 · &lt;b&gt;Ctrl+Q&lt;/b&gt; 事项队列 · &lt;b&gt;Ctrl+R&lt;/b&gt; 抄表录入&lt;/li&gt;
&lt;li&gt;“柜台 → 退出登录”把柜台交给下一位营业员。&lt;/li&gt;
&lt;/ul&gt;</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Intermediary (property management)</source>
        <translation>中介（物业管理）</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Government / social organisation</source>
        <translation>政府机关/社会团体</translation>
    </message>
    <message>
        <source>Potential</source>
        <translation>潜在客户</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新客户</translation>
    </message>
    <message>
        <source>Long-term</source>
        <translation>长期客户</translation>
    </message>
    <message>
        <source>Former</source>
        <translation>原客户</translation>
    </message>
    <message>
        <source>Needs care</source>
        <translation>需特别关注</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Special-level important customer</source>
        <translation>特级重要客户</translation>
    </message>
    <message>
        <source>First-level important customer</source>
        <translation>一级重要客户</translation>
    </message>
    <message>
        <source>Second-level important customer</source>
        <translation>二级重要客户</translation>
    </message>
    <message>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>电</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水</translation>
    </message>
    <message>
        <source>Residential</source>
        <translation>居民生活</translation>
    </message>
    <message>
        <source>General commercial &amp; industrial</source>
        <translation>一般工商业</translation>
    </message>
    <message>
        <source>Large industry</source>
        <translation>大工业</translation>
    </message>
    <message>
        <source>Agricultural production</source>
        <translation>农业生产</translation>
    </message>
    <message>
        <source>Non-residential</source>
        <translation>非居民</translation>
    </message>
    <message>
        <source>Special</source>
        <translation>特种</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Being changed</source>
        <translation>变更中</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已销户</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>已拆除</translation>
    </message>
    <message>
        <source>Single register</source>
        <translation>单一示数</translation>
    </message>
    <message>
        <source>Peak / valley</source>
        <translation>峰/谷</translation>
    </message>
    <message>
        <source>Peak / flat / valley</source>
        <translation>峰/平/谷</translation>
    </message>
    <message>
        <source>Sharp / peak / flat / valley</source>
        <translation>尖/峰/平/谷</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>网上</translation>
    </message>
    <message>
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>缴费</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>业务申请</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Fault report</source>
        <translation>故障报修</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>CounterDesk — log in</source>
        <translation>CounterDesk — 登录</translation>
    </message>
    <message>
        <source>CounterDesk service counter</source>
        <translation>CounterDesk 营业柜台</translation>
    </message>
    <message>
        <source>Login name</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Demo store — log in as:</source>
        <translation>演示数据库，可用以下账号登录：</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CounterDesk — %1</source>
        <translation>CounterDesk — %1</translation>
    </message>
    <message>
        <source>Find (F2):</source>
        <translation>查找 (F2)：</translation>
    </message>
    <message>
        <source>Account no., name, pinyin (zsf), phone or its last 4 digits, ID tail, meter no., address; scan a barcode</source>
        <translation>户号、姓名、拼音首字母（zsf）、电话或后4位、证件尾号、表号、地址；或扫描条码</translation>
    </message>
    <message>
        <source>Type or scan to find a customer. Enter opens a scanned number or the only match; with several matches it goes to the list (↑↓, Enter). Esc clears.</source>
        <translation>输入或扫码查找客户。回车直接打开扫描的号码或唯一的匹配；有多个匹配时转到列表（↑↓ 选择，回车打开）。Esc 清空。</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Record contact</source>
        <translation>记录接触</translation>
    </message>
    <message>
        <source>Edit customer</source>
        <translation>修改档案</translation>
    </message>
    <message>
        <source>Close customer</source>
        <translation>关闭客户</translation>
    </message>
    <message>
        <source>&amp;Counter</source>
        <translation>柜台(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Reports</source>
        <translation>报表(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Administration</source>
        <translation>系统管理(&amp;A)</translation>
    </message>
    <message>
        <source>Company settings…</source>
        <translation>公司参数设置…</translation>
    </message>
    <message>
        <source>About CounterDesk…</source>
        <translation>关于营业厅柜台…</translation>
    </message>
    <message>
        <source>Clerk: %1, staff no. %2, %3</source>
        <translation>营业员：%1，工号 %2，%3</translation>
    </message>
    <message>
        <source>Demo file</source>
        <translation>演示数据库</translation>
    </message>
    <message>
        <source>Local file</source>
        <translation>本机数据库</translation>
    </message>
    <message>
        <source>Database: local file %1</source>
        <translation>数据库：本机文件 %1</translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation>营业厅服务器 %1</translation>
    </message>
    <message>
        <source>Database: hall server %1</source>
        <translation>数据库：营业厅服务器 %1</translation>
    </message>
    <message>
        <source>Works offline</source>
        <translation>可离线工作</translation>
    </message>
    <message>
        <source>The data is on this computer: the counter works without a network.</source>
        <translation>数据保存在本机：没有网络也能办理业务。</translation>
    </message>
    <message>
        <source>Whether the hall&apos;s database server answers, checked every 15 seconds.</source>
        <translation>营业厅数据库服务器是否应答，每 15 秒检查一次。</translation>
    </message>
    <message>
        <source>Station: %1 %2</source>
        <translation>网点：%1 %2</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Leave the counter to another clerk: the log-in screen comes back.</source>
        <translation>把柜台交给另一位营业员：回到登录界面。</translation>
    </message>
    <message>
        <source>Quit CounterDesk</source>
        <translation>退出 CounterDesk</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Guide to this screen</source>
        <translation>本界面说明</translation>
    </message>
    <message>
        <source>Keys at the counter</source>
        <translation>柜台快捷键</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Checking server…</source>
        <translation>正在检查服务器…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>OFFLINE: server not answering</source>
        <translation>离线：服务器无响应</translation>
    </message>
    <message>
        <source>%1+ matches — type more to narrow</source>
        <translation>超过 %1 条结果——请多输入几个字缩小范围</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>没有结果</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 条结果</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 条结果</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>无法打开</translation>
    </message>
</context>
<context>
    <name>MeterDialog</name>
    <message>
        <source>New meter</source>
        <translation>新装电表</translation>
    </message>
    <message>
        <source>Edit meter</source>
        <translation>修改电表</translation>
    </message>
    <message>
        <source>Meter no.</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Registers</source>
        <translation>示数类型</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>位数</translation>
    </message>
    <message>
        <source>Multiplier (CT x PT)</source>
        <translation>综合倍率（CT×PT）</translation>
    </message>
    <message>
        <source>CT ratio</source>
        <translation>CT 变比</translation>
    </message>
    <message>
        <source>PT ratio</source>
        <translation>PT 变比</translation>
    </message>
    <message>
        <source>Reading when installed</source>
        <translation>装表底数</translation>
    </message>
    <message>
        <source>Installed on (YYYY-MM-DD)</source>
        <translation>装表日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>NoticesPlugin</name>
    <message>
        <source>Customer notices…</source>
        <translation>客户短信通知…</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Print… (Ctrl+P)</source>
        <translation>打印… (Ctrl+P)</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <source>The printer cannot be used. Check that it is on and has paper; the document is kept in the archive and can be printed again.</source>
        <translation>打印机不可用。请检查是否开机、有纸；单据已存档，可以再次打印。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The PDF cannot be written to %1: %2</source>
        <translation>PDF 无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Not printed</source>
        <translation>未打印</translation>
    </message>
    <message>
        <source>The document was not printed: %1. It can be printed again once the printer is ready.</source>
        <translation>单据未打印：%1。打印机就绪后可再次打印。</translation>
    </message>
    <message>
        <source>the archive cannot be written (is the disk full?)</source>
        <translation>存档无法写入（磁盘是否已满？）</translation>
    </message>
    <message>
        <source>Printing %1…</source>
        <translation>正在打印 %1…</translation>
    </message>
    <message>
        <source>the printer at %1 reported an error</source>
        <translation>%1 处的打印机报错</translation>
    </message>
    <message>
        <source>%1 saved as PDF: %2</source>
        <translation>%1 已保存为 PDF：%2</translation>
    </message>
</context>
<context>
    <name>Receipts</name>
    <message>
        <source>this computer has no default printer (set one up in the system&apos;s printer settings, or choose another target under Tools &gt; Receipt printer…)</source>
        <translation>本机没有默认打印机（请在系统打印机设置中添加，或在“工具 &gt; 收据打印机…”中选择其他输出方式）</translation>
    </message>
    <message>
        <source>the printer %1 cannot be used; check that it is on and has paper</source>
        <translation>打印机 %1 无法使用，请检查是否开机、是否有纸</translation>
    </message>
</context>
<context>
    <name>ReconcilePlugin</name>
    <message>
        <source>Payment-channel statements…</source>
        <translation>支付渠道对账单…</translation>
    </message>
</context>
<context>
    <name>SearchResultModel</name>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Company name</source>
        <translation>公司名称</translation>
    </message>
    <message>
        <source>1 to 100 characters; printed on every station&apos;s bills</source>
        <translation>1 到 100 个字符；打印在各网点的账单上</translation>
    </message>
    <message>
        <source>Service hotline</source>
        <translation>服务热线</translation>
    </message>
    <message>
        <source>3 to 40 digits, dashes or spaces, e.g. 95598; printed on every bill</source>
        <translation>3 至 40 位数字、短横线或空格，例如 95598；印在每张账单上</translation>
    </message>
    <message>
        <source>Late fees on electricity</source>
        <translation>电费收取违约金</translation>
    </message>
    <message>
        <source>on or off</source>
        <translation>开启或关闭</translation>
    </message>
    <message>
        <source>Late fees on water</source>
        <translation>水费收取违约金</translation>
    </message>
    <message>
        <source>Late fee per day, residential</source>
        <translation>每日违约金比例（居民）</translation>
    </message>
    <message>
        <source>a decimal from 0 to 0.01 (0.001 = 0.1 % a day)</source>
        <translation>0 到 0.01 之间的小数（0.001 即每日 0.1%）</translation>
    </message>
    <message>
        <source>Late fee per day, other customers, same year</source>
        <translation>每日违约金比例（非居民，当年欠费）</translation>
    </message>
    <message>
        <source>Late fee per day, other customers, later years</source>
        <translation>每日违约金比例（非居民，跨年欠费）</translation>
    </message>
    <message>
        <source>Minimum late fee (yuan)</source>
        <translation>违约金最低金额（元）</translation>
    </message>
    <message>
        <source>an amount from 0.00 to 100.00 yuan</source>
        <translation>0.00 到 100.00 元之间的金额</translation>
    </message>
    <message>
        <source>Reversals on the payment&apos;s day only</source>
        <translation>仅允许当日冲正</translation>
    </message>
    <message>
        <source>Repeat complaint window (days)</source>
        <translation>重复投诉判定期（天）</translation>
    </message>
    <message>
        <source>a whole number of days from 1 to 365</source>
        <translation>1 到 365 之间的整数天数</translation>
    </message>
    <message>
        <source>Warn before a deadline (hours)</source>
        <translation>期限到期前提醒（小时）</translation>
    </message>
    <message>
        <source>a whole number of hours from 1 to 720</source>
        <translation>1 到 720 之间的整数小时数</translation>
    </message>
    <message>
        <source>Planned outages announced ahead (days)</source>
        <translation>计划停电提前告知（天）</translation>
    </message>
    <message>
        <source>a whole number of days from 0 to 60</source>
        <translation>0 到 60 的整数天数</translation>
    </message>
    <message>
        <source>Suspension notice after arrears of (days)</source>
        <translation>欠费超过多少天发停电预告（天）</translation>
    </message>
    <message>
        <source>Suspension announced ahead (days)</source>
        <translation>停电预告提前天数（天）</translation>
    </message>
    <message>
        <source>a whole number of days from 1 to 60</source>
        <translation>1 到 60 之间的整天数</translation>
    </message>
    <message>
        <source>Warn when a station has not synced for (days)</source>
        <translation>站所未同步超过（天）时提醒</translation>
    </message>
    <message>
        <source>a whole number of days from 1 to 90</source>
        <translation>1 到 90 之间的整数天数</translation>
    </message>
    <message>
        <source>Centre&apos;s sync address</source>
        <translation>中心同步服务地址</translation>
    </message>
    <message>
        <source>http:// or https:// address of the centre&apos;s sync service; stations with a link exchange with it</source>
        <translation>中心同步服务的 http:// 或 https:// 地址；有网络的供电所与它自动交换数据</translation>
    </message>
    <message>
        <source>Exchange with the centre every (minutes)</source>
        <translation>与中心自动交换的间隔（分钟）</translation>
    </message>
    <message>
        <source>a whole number of minutes from 1 to 240</source>
        <translation>1 到 240 之间的整数分钟</translation>
    </message>
    <message>
        <source>SMS gateway address</source>
        <translation>短信网关地址</translation>
    </message>
    <message>
        <source>http:// or https:// address the customer notices are posted to</source>
        <translation>客户短信通知发送到的 http:// 或 https:// 地址</translation>
    </message>
    <message>
        <source>SMS gateway account</source>
        <translation>短信网关账号</translation>
    </message>
    <message>
        <source>1 to 60 characters, as the gateway gave it</source>
        <translation>1 至 60 个字符，按网关提供的填写</translation>
    </message>
    <message>
        <source>SMS gateway key</source>
        <translation>短信网关密钥</translation>
    </message>
    <message>
        <source>8 to 200 characters, as the gateway gave it; never shown again</source>
        <translation>8 至 200 个字符，按网关提供的填写；保存后不再显示</translation>
    </message>
    <message>
        <source>SMS gateway answer within (seconds)</source>
        <translation>短信网关应答时限（秒）</translation>
    </message>
    <message>
        <source>a whole number of seconds from 1 to 120</source>
        <translation>1 至 120 之间的整数秒</translation>
    </message>
    <message>
        <source>Attempts to send a notice</source>
        <translation>每条通知的发送次数</translation>
    </message>
    <message>
        <source>a whole number from 1 to 20</source>
        <translation>1 至 20 之间的整数</translation>
    </message>
    <message>
        <source>Send waiting notices every (minutes)</source>
        <translation>自动发送待发短信的间隔（分钟）</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Company settings</source>
        <translation>公司参数设置</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Allowed values</source>
        <translation>允许的取值</translation>
    </message>
    <message>
        <source>● changed from the default</source>
        <translation>● 表示已改为非默认值</translation>
    </message>
    <message>
        <source>Change the selected setting</source>
        <translation>修改所选参数</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Setting:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>键名：</translation>
    </message>
    <message>
        <source>New value:</source>
        <translation>新值：</translation>
    </message>
    <message>
        <source>Only an administrator can change these settings.</source>
        <translation>只有系统管理员可以修改这些参数。</translation>
    </message>
    <message>
        <source>Default value</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Changed from the default</source>
        <translation>已修改（非默认值）</translation>
    </message>
    <message>
        <source>Saved: %1 = %2</source>
        <translation>已保存：%1 = %2</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>CounterDesk: unexpected error</source>
        <translation>CounterDesk：意外错误</translation>
    </message>
    <message>
        <source>Something went wrong that CounterDesk did not expect; what you were doing may not have been saved. Check it, then carry on. The details are in the log file %1 — give it to support.</source>
        <translation>CounterDesk 遇到了意外问题，刚才的操作可能没有保存。请核对后继续。详细情况记录在日志文件 %1 中，请交给技术支持。</translation>
    </message>
    <message>
        <source>CounterDesk cannot open its data</source>
        <translation>CounterDesk 无法打开数据</translation>
    </message>
    <message>
        <source>CounterDesk cannot start</source>
        <translation>CounterDesk 无法启动</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation>主管审批</translation>
    </message>
    <message>
        <source>This needs a supervisor. Supervisor, please log in:</source>
        <translation>此操作需要主管审批，请主管登录：</translation>
    </message>
    <message>
        <source>Login name</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>_EditDialog</name>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>--{name}: “{text}” is not a number</source>
        <translation>--{name}：“{text}”不是数字</translation>
    </message>
    <message>
        <source>--{name}: “{text}” is not a date YYYY-MM-DD</source>
        <translation>--{name}：“{text}”不是 YYYY-MM-DD 格式的日期</translation>
    </message>
    <message>
        <source>the data folder {path} is a file, not a folder; give a folder with --data-dir or COUNTERDESK_DATA_DIR</source>
        <translation>数据文件夹 {path} 是文件而不是文件夹；请用 --data-dir 或 COUNTERDESK_DATA_DIR 指定一个文件夹</translation>
    </message>
    <message>
        <source>the data folder {path} cannot be made ({why})</source>
        <translation>无法创建数据文件夹 {path}（{why}）</translation>
    </message>
    <message>
        <source>--db: “{url}” is not a database URL; write sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE</source>
        <translation>--db：“{url}”不是数据库地址；请写 sqlite:///文件 或 postgresql+psycopg://用户:密码@主机:5432/数据库</translation>
    </message>
    <message>
        <source>--db: CounterDesk works with SQLite (sqlite:///FILE) or PostgreSQL (postgresql+psycopg://...), not “{backend}”</source>
        <translation>--db：CounterDesk 只支持 SQLite（sqlite:///文件）或 PostgreSQL（postgresql+psycopg://...），不支持“{backend}”</translation>
    </message>
    <message>
        <source>a password is never given in the argument list (every user of the machine can read it there); use --password-file FILE, --password-stdin or type it when asked</source>
        <translation>密码不能写在命令参数里（本机所有用户都能看到）；请使用 --password-file 文件、--password-stdin，或在提示时输入</translation>
    </message>
    <message>
        <source>--password-file: {file} is readable by other users (mode {mode}); make it readable only by you (chmod 600 {file})</source>
        <translation>--password-file：{file} 其他用户可以读取（权限 {mode}）；请改为只有您能读取（chmod 600 {file}）</translation>
    </message>
    <message>
        <source>--password-file: {file} belongs to another user; use a file of your own, readable only by you</source>
        <translation>--password-file：{file} 属于其他用户；请使用您自己的、只有您能读取的文件</translation>
    </message>
    <message>
        <source>--password-file: {file} cannot be read ({why})</source>
        <translation>--password-file：无法读取 {file}（{why}）</translation>
    </message>
    <message>
        <source>--password-file: {file} is not an ordinary file</source>
        <translation>--password-file：{file} 不是普通文件</translation>
    </message>
    <message>
        <source>{login} must give a password: run at a terminal to be asked, or use --password-file FILE or --password-stdin</source>
        <translation>{login} 必须提供密码：请在终端中运行以输入密码，或使用 --password-file 文件 或 --password-stdin</translation>
    </message>
    <message>
        <source>--password-stdin: standard input held no password line</source>
        <translation>--password-stdin：标准输入中没有密码行</translation>
    </message>
    <message>
        <source>give the new password with --new-password-file FILE, --password-stdin or {env}</source>
        <translation>请用 --new-password-file 文件、--password-stdin 或 {env} 提供新密码</translation>
    </message>
    <message>
        <source>the two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>give the backup FILE to write, or --auto for the daily copy into the backup folder</source>
        <translation>请给出要写入的备份文件 FILE，或用 --auto 把每日副本写入备份文件夹</translation>
    </message>
    <message>
        <source>backup copies a SQLite store; back a PostgreSQL server up with pg_dump</source>
        <translation>backup 只备份 SQLite 数据库；PostgreSQL 服务器请用 pg_dump 备份</translation>
    </message>
    <message>
        <source>--customers takes a number from 1 to 5,000,000</source>
        <translation>--customers 须为 1 到 5,000,000 之间的数</translation>
    </message>
    <message>
        <source>  station {station}: {count} entries intact, head {seq} {hash}</source>
        <translation>  站点 {station}：{count} 条记录完好，链头 {seq} {hash}</translation>
    </message>
    <message>
        <source>entry {seq}</source>
        <translation>第 {seq} 条</translation>
    </message>
    <message>
        <source>  station {station}: BROKEN at {where}: {reason}; {count} entries before it are intact</source>
        <translation>  站点 {station}：在{where}处损坏：{reason}；此前 {count} 条记录完好</translation>
    </message>
    <message>
        <source>--anchor: {given} cannot be used ({why}); give a backup&apos;s check file or STATION:SEQ:HASH as printed on a report</source>
        <translation>--anchor：{given} 无法使用（{why}）；请给出备份的校验文件，或报表上印的 站点:序号:哈希</translation>
    </message>
    <message>
        <source>database: DAMAGED</source>
        <translation>数据库：已损坏</translation>
    </message>
    <message>
        <source>database: its own integrity check passed</source>
        <translation>数据库：自身完整性检查通过</translation>
    </message>
    <message>
        <source>audit log intact: {count} entries in {chains} chains</source>
        <translation>审计日志完好：{chains} 条链共 {count} 条记录</translation>
    </message>
    <message>
        <source>audit log BROKEN</source>
        <translation>审计日志已损坏</translation>
    </message>
    <message>
        <source>records checked against the log: {payments} payments, {bills} bills, {accounts} balances, {numbers} receipt and work-order numbers</source>
        <translation>已与日志核对的记录：{payments} 笔收费、{bills} 张账单、{accounts} 个余额、{numbers} 个收据号和工单号</translation>
    </message>
    <message>
        <source>  {count} records of stations whose chain is not in this store were not checked</source>
        <translation>  {count} 条记录属于本库中没有其审计链的站点，未核对</translation>
    </message>
    <message>
        <source>PROBLEMS ({count}):</source>
        <translation>发现问题（{count} 个）：</translation>
    </message>
    <message>
        <source>no problems found</source>
        <translation>未发现问题</translation>
    </message>
    <message>
        <source>the copy was checked: no problems; its audit anchors are in {file}</source>
        <translation>已检查备份副本：没有问题；其审计锚点保存在 {file}</translation>
    </message>
    <message>
        <source>the copy was checked and has PROBLEMS ({count}); see {file}:</source>
        <translation>已检查备份副本，发现问题（{count} 个），详见 {file}：</translation>
    </message>
    <message>
        <source>backups copy a SQLite store; back a PostgreSQL server up on the server with pg_dump</source>
        <translation>备份只复制 SQLite 数据文件；PostgreSQL 服务器请在服务器上用 pg_dump 备份</translation>
    </message>
    <message>
        <source>no backup folder is chosen for this machine: choose one in Tools &gt; Backups… or with `counterdesk backups folder DIR --as ADMIN`</source>
        <translation>本机尚未选择备份文件夹：请在“工具 &gt; 备份…”中选择，或运行 `counterdesk backups folder DIR --as ADMIN`</translation>
    </message>
    <message>
        <source>restore writes a SQLite store; give --db sqlite:///FILE or none (the data folder&apos;s store)</source>
        <translation>恢复只写入 SQLite 数据文件；请给出 --db sqlite:///FILE，或不给（使用数据文件夹中的数据）</translation>
    </message>
    <message>
        <source>there is no account {account}</source>
        <translation>没有户号 {account}</translation>
    </message>
    <message>
        <source>“{text}” is not an outage id; leave it out to notify every outage not ended yet</source>
        <translation>“{text}”不是停电计划编号；不填则通知所有尚未结束的停电计划</translation>
    </message>
    <message>
        <source>no open difference has the id {text}</source>
        <translation>没有编号为 {text} 的待处理差异</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>The database file is in use by another program and stayed locked. Close the other CounterDesk or backup program and try again; nothing was saved.</source>
        <translation>数据库文件正被其他程序占用，一直处于锁定状态。请关闭另一个 CounterDesk 或备份程序后重试；本次操作未保存任何内容。</translation>
    </message>
    <message>
        <source>The database file is read-only. Check the file&apos;s permissions or the disk, then start again; nothing was saved.</source>
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
        <source>The connection to the hall&apos;s database server broke (the server restarted or ended it). Nothing was half-saved; do it again: the next try reconnects.</source>
        <translation>与营业厅数据库服务器的连接中断了（服务器重启或断开了连接）。没有保存一半的数据；请再做一次，下次操作会重新连接。</translation>
    </message>
    <message>
        <source>The hall&apos;s database server does not answer. Check the network cable or ask IT; this counter cannot save until it is back.</source>
        <translation>营业厅数据库服务器无响应。请检查网线或联系信息技术人员；恢复之前本柜台无法保存。</translation>
    </message>
    <message>
        <source>The database server took too long to answer and the request was stopped; nothing was saved. Try again; if it happens again, ask IT.</source>
        <translation>数据库服务器响应太慢，操作已中止，什么都没有保存。请重试；若再次发生，请联系信息部门。</translation>
    </message>
    <message>
        <source>The hall&apos;s database server is starting up. Wait a moment and try again.</source>
        <translation>营业厅数据库服务器正在启动，请稍候再试。</translation>
    </message>
    <message>
        <source>Two counters changed the same records at the same moment; nothing was saved. Do it again.</source>
        <translation>两个柜台同时修改了相同的记录，什么都没有保存。请再做一次。</translation>
    </message>
    <message>
        <source>The database server named in the connection is not known on this network. Check the host in the --db setting.</source>
        <translation>在本网络中找不到连接设置中的数据库服务器。请检查 --db 设置中的主机名。</translation>
    </message>
    <message>
        <source>The database server has no login of that name. Check the user in the --db setting.</source>
        <translation>数据库服务器上没有这个登录用户。请检查 --db 设置中的用户名。</translation>
    </message>
    <message>
        <source>The database named in the connection does not exist on the server. Check the --db setting.</source>
        <translation>连接中指定的数据库在服务器上不存在。请检查 --db 设置。</translation>
    </message>
    <message>
        <source>Another counter is holding the receipt and work-order numbers and has not let go for {seconds} s; nothing was saved. Try again; if it keeps happening, that counter has probably frozen: finish or close CounterDesk there.</source>
        <translation>另一个柜台占用着收据号和工单号，已 {seconds} 秒未释放，什么都没有保存。请重试；若一直如此，那个柜台可能已卡住：请在那台电脑上完成操作或关闭 CounterDesk。</translation>
    </message>
    <message>
        <source>Another counter is holding the audit log and has not let go for {seconds} s; nothing was saved. Try again; if it keeps happening, that counter has probably frozen: finish or close CounterDesk there.</source>
        <translation>另一个柜台占用着审计日志，已 {seconds} 秒未释放，什么都没有保存。请重试；若一直如此，那个柜台可能已卡住：请在那台电脑上完成操作或关闭 CounterDesk。</translation>
    </message>
    <message>
        <source>Another counter is working on this account and has not finished for {seconds} s; nothing was saved. Try again in a moment.</source>
        <translation>另一个柜台正在处理这个户号，已 {seconds} 秒未完成，什么都没有保存。请稍后再试。</translation>
    </message>
    <message>
        <source>Another counter is holding records this one needs and has not let go for {seconds} s; nothing was saved. Try again; if it keeps happening, a counter has probably frozen: finish or close CounterDesk there.</source>
        <translation>另一个柜台占用着本柜台需要的记录，已 {seconds} 秒未释放，什么都没有保存。请重试；若一直如此，可能有柜台已卡住：请在那台电脑上完成操作或关闭 CounterDesk。</translation>
    </message>
    <message>
        <source>The database server refused the login. Check the user and password in the --db setting.</source>
        <translation>数据库服务器拒绝登录。请检查 --db 设置中的用户名和密码。</translation>
    </message>
    <message>
        <source>The database server&apos;s disk is full. Ask IT; what was saved before is safe.</source>
        <translation>数据库服务器磁盘已满。请联系信息技术人员；之前已保存的数据是安全的。</translation>
    </message>
    <message>
        <source>The station code is 1 to 16 letters or digits.</source>
        <translation>网点编码为 1 至 16 位字母或数字。</translation>
    </message>
    <message>
        <source>Enter the station&apos;s name.</source>
        <translation>请输入网点名称。</translation>
    </message>
    <message>
        <source>A login name is 1 to 40 letters, digits, dots or underscores.</source>
        <translation>登录名为 1 至 40 位字母、数字、点或下划线。</translation>
    </message>
    <message>
        <source>Enter the clerk&apos;s name (at most 60 characters).</source>
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
        <source>Only an administrator can change a staff number.</source>
        <translation>只有管理员可以修改工号。</translation>
    </message>
    <message>
        <source>Wrong login name or password. After {count} wrong passwords in a row a login is locked.</source>
        <translation>登录名或密码错误。连续输错 {count} 次密码后登录名将被锁定。</translation>
    </message>
    <message>
        <source>Wrong supervisor login name or password. After {count} wrong passwords in a row a login is locked.</source>
        <translation>主管登录名或密码错误。连续输错 {count} 次密码后登录名将被锁定。</translation>
    </message>
    <message>
        <source>This login has been deactivated; ask an administrator.</source>
        <translation>此登录名已停用，请联系管理员。</translation>
    </message>
    <message>
        <source>This login is locked after {count} wrong passwords; ask an administrator to unlock it.</source>
        <translation>密码连续错误 {count} 次，此账号已锁定；请联系管理员解锁。</translation>
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
        <source>The ID number starts with the region code {region}, which is no province of China; check the number on the card.</source>
        <translation>身份证号码开头的地区码 {region} 不属于任何省份，请核对证件上的号码。</translation>
    </message>
    <message>
        <source>The date of birth in the ID number ({birth}) does not exist.</source>
        <translation>身份证号码中的出生日期（{birth}）不存在。</translation>
    </message>
    <message>
        <source>The date of birth in the ID number ({birth}) is in the future.</source>
        <translation>身份证号码中的出生日期（{birth}）在今天之后。</translation>
    </message>
    <message>
        <source>The date of birth in the ID number ({birth}) is before 1900.</source>
        <translation>身份证号码中的出生日期（{birth}）早于 1900 年。</translation>
    </message>
    <message>
        <source>The ID number&apos;s check digit is wrong; check the number on the card.</source>
        <translation>身份证号码校验位错误，请核对证件上的号码。</translation>
    </message>
    <message>
        <source>“{phone}” is not a mobile number (11 digits) or a landline number.</source>
        <translation>“{phone}”不是有效的手机号码（11 位）或固定电话号码。</translation>
    </message>
    <message>
        <source>{day} is outside the dates this station works with ({first} to {last}).</source>
        <translation>{day} 不在本站可受理的日期范围内（{first} 至 {last}）。</translation>
    </message>
    <message>
        <source>A billing period is written YYYY-MM, e.g. 2026-11.</source>
        <translation>计费周期写作 YYYY-MM，例如 2026-11。</translation>
    </message>
    <message>
        <source>The period {period} is outside the periods this station works with ({first} to {last}).</source>
        <translation>周期 {period} 不在本站可受理的周期范围内（{first} 至 {last}）。</translation>
    </message>
    <message>
        <source>At most {count} characters.</source>
        <translation>最多 {count} 个字符。</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
    <message>
        <source>Enter a number from {low} to {high}.</source>
        <translation>请输入 {low} 至 {high} 之间的数。</translation>
    </message>
    <message>
        <source>“{text}” is not a number.</source>
        <translation>“{text}”不是数字。</translation>
    </message>
    <message>
        <source>At most {places} decimals.</source>
        <translation>最多 {places} 位小数。</translation>
    </message>
    <message>
        <source>Choose one of the listed values.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>请输入客户名称。</translation>
    </message>
    <message>
        <source>A potential customer needs a phone number to be called back.</source>
        <translation>潜在客户需要留下联系电话以便回访。</translation>
    </message>
    <message>
        <source>Enter the supply address.</source>
        <translation>请输入用电地址。</translation>
    </message>
    <message>
        <source>Enter the voltage level.</source>
        <translation>请输入电压等级。</translation>
    </message>
    <message>
        <source>An account number has 10 digits.</source>
        <translation>户号为10位数字。</translation>
    </message>
    <message>
        <source>Enter the meter number.</source>
        <translation>请输入表号。</translation>
    </message>
    <message>
        <source>A meter number is letters and digits (not 10 digits, which is an account number).</source>
        <translation>表号由字母和数字组成（不能是10位数字，那是户号）。</translation>
    </message>
    <message>
        <source>Enter a date as YYYY-MM-DD.</source>
        <translation>请按 YYYY-MM-DD 格式输入日期。</translation>
    </message>
    <message>
        <source>Someone else changed this file while you were editing it. Your changes were not saved; reload the file and make them again.</source>
        <translation>您编辑期间，其他人修改了此档案。您的修改未保存；请重新打开档案后再修改。</translation>
    </message>
    <message>
        <source>This customer file no longer exists.</source>
        <translation>该客户档案已不存在。</translation>
    </message>
    <message>
        <source>The station&apos;s account numbers are used up; enter a number by hand.</source>
        <translation>本网点的户号已用完，请手工输入户号。</translation>
    </message>
    <message>
        <source>Account number {account_no} is already in use.</source>
        <translation>户号 {account_no} 已被使用。</translation>
    </message>
    <message>
        <source>This account no longer exists.</source>
        <translation>该户号已不存在。</translation>
    </message>
    <message>
        <source>An account number cannot be changed.</source>
        <translation>户号不能修改。</translation>
    </message>
    <message>
        <source>Meter {meter_no} is already installed on an account.</source>
        <translation>电表 {meter_no} 已装在其他户号上。</translation>
    </message>
    <message>
        <source>This meter no longer exists.</source>
        <translation>该电表已不存在。</translation>
    </message>
    <message>
        <source>Write what the customer asked or what was done.</source>
        <translation>请填写客户诉求或办理内容。</translation>
    </message>
    <message>
        <source>That matter no longer waits for this contact (it was recorded meanwhile, or the matter is closed).</source>
        <translation>该事项已不再等待此次联系（其间已有记录，或事项已办结）。</translation>
    </message>
    <message>
        <source>This store already has customers; demo data goes into an empty store (use --db for a new file).</source>
        <translation>此数据库已有客户；演示数据只能写入空数据库（用 --db 指定新文件）。</translation>
    </message>
    <message>
        <source>This data was written by a newer CounterDesk (schema {revision}). Update this counter&apos;s CounterDesk before using it; nothing was changed.</source>
        <translation>这些数据由较新版本的 CounterDesk 写入（数据结构 {revision}）。请先更新本柜台的 CounterDesk 再使用；数据未作任何改动。</translation>
    </message>
    <message>
        <source>{target} already exists. Choose another file name, or add --force to replace it. Nothing was written.</source>
        <translation>{target} 已存在。请换一个文件名，或加上 --force 替换它。未写入任何内容。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist. Nothing was written.</source>
        <translation>文件夹 {folder} 不存在。未写入任何内容。</translation>
    </message>
    <message>
        <source>The backup could not be written to {target} ({reason}). The store is unchanged; check the disk and the folder&apos;s permissions.</source>
        <translation>无法把备份写入 {target}（{reason}）。数据库未改动；请检查磁盘和文件夹权限。</translation>
    </message>
    <message>
        <source>There is no setting “{key}”. Known settings: {keys}.</source>
        <translation>没有名为“{key}”的参数。可用的参数：{keys}。</translation>
    </message>
    <message>
        <source>The value contains control characters; type it again.</source>
        <translation>取值中含有控制字符，请重新输入。</translation>
    </message>
    <message>
        <source>“{text}” is not on or off; write true or false.</source>
        <translation>“{text}”不是开启或关闭；请填写 true 或 false。</translation>
    </message>
    <message>
        <source>“{text}” is not a whole number.</source>
        <translation>“{text}”不是整数。</translation>
    </message>
    <message>
        <source>Enter a whole number from {low} to {high}.</source>
        <translation>请输入 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>“{text}” is not a decimal number such as 0.001.</source>
        <translation>“{text}”不是小数（例如 0.001）。</translation>
    </message>
    <message>
        <source>A daily late-fee rate is from 0 to {high} (1 % a day); {text} is outside.</source>
        <translation>每日违约金比例应在 0 到 {high}（每日 1%）之间；{text} 超出范围。</translation>
    </message>
    <message>
        <source>A daily late-fee rate has at most 6 decimals.</source>
        <translation>每日违约金比例最多 6 位小数。</translation>
    </message>
    <message>
        <source>Enter an amount from {low} to {high} yuan.</source>
        <translation>请输入 {low} 到 {high} 元之间的金额。</translation>
    </message>
    <message>
        <source>A service phone is 3 to 40 digits, dashes or spaces, such as 95598 or 0571-95598.</source>
        <translation>服务电话为 3 到 40 位数字、短横线或空格，例如 95598 或 0571-95598。</translation>
    </message>
    <message>
        <source>Write the address as http://HOST/PATH or https://HOST/PATH (at most 300 characters).</source>
        <translation>地址请写成 http://主机/路径 或 https://主机/路径（最多 300 个字符）。</translation>
    </message>
    <message>
        <source>Enter {low} to {high} characters.</source>
        <translation>请输入 {low} 至 {high} 个字符。</translation>
    </message>
    <message>
        <source>Enter a value; it cannot be empty.</source>
        <translation>请输入取值，不能为空。</translation>
    </message>
    <message>
        <source>At most {count} characters; this has {length}.</source>
        <translation>最多 {count} 个字符，现有 {length} 个。</translation>
    </message>
    <message>
        <source>Only an administrator can change the company settings.</source>
        <translation>只有系统管理员可以修改公司参数。</translation>
    </message>
    <message>
        <source>{target} is the store itself (or one of its -wal/-shm files); write to another file. Nothing was written.</source>
        <translation>{target} 是数据库文件本身（或其 -wal/-shm 文件）；请写到其他文件。什么都没有写入。</translation>
    </message>
    <message>
        <source>{target} is inside CounterDesk&apos;s data folder {folder}; write to a file outside it. Nothing was written.</source>
        <translation>{target} 位于 CounterDesk 的数据文件夹 {folder} 内；请写到该文件夹以外的文件。什么都没有写入。</translation>
    </message>
    <message>
        <source>{target} is a folder; give a file name, for example {example}. Nothing was written.</source>
        <translation>{target} 是文件夹；请给出文件名，例如 {example}。什么都没有写入。</translation>
    </message>
    <message>
        <source>{target} is not an ordinary file (a device, pipe or socket); it is never written to. Nothing was written.</source>
        <translation>{target} 不是普通文件（是设备、管道或套接字），不会写入。什么都没有写入。</translation>
    </message>
    <message>
        <source>{target} is a database (a store or a backup); it is never replaced. Nothing was written.</source>
        <translation>{target} 是数据库（数据库文件或备份），不会被替换。什么都没有写入。</translation>
    </message>
    <message>
        <source>The disk holding {target} is full. Nothing was written; free some space and try again.</source>
        <translation>{target} 所在的磁盘已满。什么都没有写入；请腾出空间后重试。</translation>
    </message>
    <message>
        <source>There is no permission to write {target}. Nothing was written.</source>
        <translation>没有写入 {target} 的权限。什么都没有写入。</translation>
    </message>
    <message>
        <source>{target} is on a read-only disk. Nothing was written.</source>
        <translation>{target} 位于只读磁盘上。什么都没有写入。</translation>
    </message>
    <message>
        <source>{target} could not be written ({reason}). Nothing was written.</source>
        <translation>无法写入 {target}（{reason}）。什么都没有写入。</translation>
    </message>
    <message>
        <source>This text contains a hidden control character {character}; type it again without it.</source>
        <translation>这段文字含有隐藏的控制字符 {character}；请去掉后重新输入。</translation>
    </message>
    <message>
        <source>“{text}” is not a number (write digits with an optional decimal point, e.g. 120.5).</source>
        <translation>“{text}”不是数字（请写数字，可带小数点，例如 120.5）。</translation>
    </message>
    <message>
        <source>“{text}” has more than {places} decimals.</source>
        <translation>“{text}”的小数超过 {places} 位。</translation>
    </message>
    <message>
        <source>“{text}” is above {maximum}; check what was typed.</source>
        <translation>“{text}”超过 {maximum}；请检查输入。</translation>
    </message>
    <message>
        <source>“{text}” must be zero or more.</source>
        <translation>“{text}”必须大于或等于零。</translation>
    </message>
    <message>
        <source>entry {seq} is missing</source>
        <translation>第 {seq} 条记录缺失</translation>
    </message>
    <message>
        <source>the link to the previous entry is broken</source>
        <translation>与上一条记录的链接已断开</translation>
    </message>
    <message>
        <source>the content does not match its hash</source>
        <translation>内容与其哈希值不符</translation>
    </message>
    <message>
        <source>entries after entry {seq} are missing (the head says {head})</source>
        <translation>第 {seq} 条之后的记录缺失（链头记为第 {head} 条）</translation>
    </message>
    <message>
        <source>the chain has entries but no head</source>
        <translation>链中有记录但没有链头</translation>
    </message>
    <message>
        <source>the entry cannot be read (damaged {column})</source>
        <translation>该记录无法读取（{column} 已损坏）</translation>
    </message>
    <message>
        <source>the store&apos;s file is damaged where the log is kept ({reason})</source>
        <translation>数据文件中存放日志的部分已损坏（{reason}）</translation>
    </message>
    <message>
        <source>the entry belongs to another station&apos;s chain</source>
        <translation>该记录属于另一站点的链</translation>
    </message>
    <message>
        <source>This document is not printed on the receipt printer.</source>
        <translation>此单据不能在收据打印机上打印。</translation>
    </message>
    <message>
        <source>The printing font cannot draw “{chars}”, so nothing was printed. Install a complete Chinese font (scripts/setup.sh installs one) or set COUNTERDESK_PDF_FONT to one.</source>
        <translation>打印字体无法显示“{chars}”，因此未打印。请安装完整的中文字体（scripts/setup.sh 会安装），或用 COUNTERDESK_PDF_FONT 指定一种。</translation>
    </message>
    <message>
        <source>{what} {number} has no audit entry</source>
        <translation>{what} {number} 没有审计记录</translation>
    </message>
    <message>
        <source>{what} {number} of audit entry {seq} is missing from the store</source>
        <translation>审计记录第 {seq} 条中的{what} {number} 在数据库中缺失</translation>
    </message>
    <message>
        <source>{what} {number}: its {field} is {stored} in the store but {written} in audit entry {seq}</source>
        <translation>{what} {number}：其{field}在数据库中为 {stored}，但审计记录第 {seq} 条为 {written}</translation>
    </message>
    <message>
        <source>bill {number}: its {field} is {stored} but its payments and balance deductions add up to {facts}</source>
        <translation>账单 {number}：其{field}为 {stored}，但其收费和余额抵扣合计为 {facts}</translation>
    </message>
    <message>
        <source>report summary {table}, {key}: it holds {stored} but the records behind it add up to {facts}</source>
        <translation>报表汇总 {table}，{key}：汇总为 {stored}，但其依据的记录合计为 {facts}</translation>
    </message>
    <message>
        <source>account {number}: its prepaid balance is {stored} but its ledger adds up to {facts}</source>
        <translation>户号 {number}：预存余额为 {stored}，但余额明细合计为 {facts}</translation>
    </message>
    <message>
        <source>account {number}: the ledger&apos;s {kind} for {ref} is {stored} but {written} was audited</source>
        <translation>户号 {number}：余额明细中 {ref} 的{kind}为 {stored}，但审计记录为 {written}</translation>
    </message>
    <message>
        <source>{what} numbers of station {station} in {year}: {missing} missing (the sequence is at {last})</source>
        <translation>站点 {station} {year} 年的{what}号：缺少 {missing}（序列已到 {last}）</translation>
    </message>
    <message>
        <source>{what} numbers of station {station} in {year}: {number} is in use but the sequence is at {last}</source>
        <translation>站点 {station} {year} 年的{what}号：{number} 已被使用，但序列只到 {last}</translation>
    </message>
    <message>
        <source>the database&apos;s own integrity check failed: {detail}</source>
        <translation>数据库自身完整性检查未通过：{detail}</translation>
    </message>
    <message>
        <source>table {table} cannot be read: {detail}</source>
        <translation>无法读取数据表 {table}：{detail}</translation>
    </message>
    <message>
        <source>anchor {anchor} ({source}): this store holds no chain of that station</source>
        <translation>锚点 {anchor}（{source}）：本库中没有该站点的审计链</translation>
    </message>
    <message>
        <source>anchor {anchor} ({source}): the chain of station {station} ends at entry {seq}; entries were cut off</source>
        <translation>锚点 {anchor}（{source}）：站点 {station} 的审计链止于第 {seq} 条；有记录被截掉</translation>
    </message>
    <message>
        <source>anchor {anchor} ({source}): entry {seq} of station {station} has another hash; the chain was rewritten</source>
        <translation>锚点 {anchor}（{source}）：站点 {station} 第 {seq} 条记录的哈希值不同；审计链被改写</translation>
    </message>
    <message>
        <source>payment</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>bill</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>receipt</source>
        <translation>收据</translation>
    </message>
    <message>
        <source>work order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>allocations</source>
        <translation>分配明细</translation>
    </message>
    <message>
        <source>receipt number</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>payment reversed</source>
        <translation>被冲正的收费</translation>
    </message>
    <message>
        <source>paid amount</source>
        <translation>已缴金额</translation>
    </message>
    <message>
        <source>late fee paid</source>
        <translation>已缴违约金</translation>
    </message>
    <message>
        <source>deposit</source>
        <translation>预存</translation>
    </message>
    <message>
        <source>deduction</source>
        <translation>抵扣</translation>
    </message>
    <message>
        <source>The store {path} is an empty file (0 bytes). Only a missing file means a new store: an empty one is damaged (a disk problem or a copy cut short). Restore the latest backup (see the backups folder), or move the file away to start a new store. Nothing was changed.</source>
        <translation>数据文件 {path} 是空文件（0 字节）。只有文件不存在才表示新建数据库：空文件说明已损坏（磁盘故障或复制中断）。请恢复最近的备份（见 backups 文件夹），或将该文件移走后再新建。未做任何更改。</translation>
    </message>
    <message>
        <source>The store {path} is not a file. Give the store&apos;s file, or a name for a new store. Nothing was changed.</source>
        <translation>{path} 不是文件。请给出数据文件，或新数据库的文件名。未做任何更改。</translation>
    </message>
    <message>
        <source>The store {path} cannot be read ({why}). Check the file&apos;s permissions and the disk. Nothing was changed.</source>
        <translation>无法读取数据文件 {path}（{why}）。请检查文件权限和磁盘。未做任何更改。</translation>
    </message>
    <message>
        <source>The store {path} is damaged or is not a CounterDesk database (it does not begin like one). Restore the latest backup (see the backups folder) or ask IT. Nothing was changed.</source>
        <translation>数据文件 {path} 已损坏或不是 CounterDesk 数据库（文件开头不对）。请恢复最近的备份（见 backups 文件夹）或联系信息部门。未做任何更改。</translation>
    </message>
    <message>
        <source>Choose the folder the backups go to (a second disk or a USB stick).</source>
        <translation>请选择备份存放的文件夹（另一块硬盘或U盘）。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist (is the disk or USB stick plugged in?).</source>
        <translation>文件夹 {folder} 不存在（硬盘或U盘插好了吗？）。</translation>
    </message>
    <message>
        <source>{folder} is a file, not a folder.</source>
        <translation>{folder} 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Give the folder&apos;s full path, e.g. E:\CounterDesk-backups or /media/usb/backups.</source>
        <translation>请给出文件夹的完整路径，例如 E:\CounterDesk-backups 或 /media/usb/backups。</translation>
    </message>
    <message>
        <source>{folder} is inside CounterDesk&apos;s data folder: a backup there is lost with the store. Choose another disk or a USB stick.</source>
        <translation>{folder} 在 CounterDesk 的数据文件夹内：放在那里的备份会随数据一起丢失。请选择另一块硬盘或U盘。</translation>
    </message>
    <message>
        <source>CounterDesk cannot write in {folder} ({reason}).</source>
        <translation>CounterDesk 无法写入 {folder}（{reason}）。</translation>
    </message>
    <message>
        <source>Only an administrator can choose the backup folder.</source>
        <translation>只有管理员可以选择备份文件夹。</translation>
    </message>
    <message>
        <source>Automatic backups copy a SQLite store; the hall&apos;s PostgreSQL server is backed up on the server (pg_dump).</source>
        <translation>自动备份只复制 SQLite 数据文件；营业厅的 PostgreSQL 服务器在服务器上备份（pg_dump）。</translation>
    </message>
    <message>
        <source>A store already exists at {store}; a backup is restored only where there is none. Restore into an empty data folder (--data-dir), or move the store away first. Nothing was changed.</source>
        <translation>{store} 已有数据；备份只能恢复到没有数据的地方。请恢复到空的数据文件夹（--data-dir），或先把现有数据移走。未做任何更改。</translation>
    </message>
    <message>
        <source>{file} cannot be read ({reason}). Nothing was changed.</source>
        <translation>无法读取 {file}（{reason}）。未做任何更改。</translation>
    </message>
    <message>
        <source>{file} is not a CounterDesk store or backup. Nothing was changed.</source>
        <translation>{file} 不是 CounterDesk 的数据或备份。未做任何更改。</translation>
    </message>
    <message>
        <source>{file} fails its check and is not restored ({count} problems; the first: {first}). Nothing was changed.</source>
        <translation>{file} 未通过检查，不予恢复（{count} 个问题；第一个：{first}）。未做任何更改。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Enter the server&apos;s name or address, e.g. 192.168.1.10.</source>
        <translation>请填写服务器名称或地址，例如 192.168.1.10。</translation>
    </message>
    <message>
        <source>A server&apos;s name or address has no spaces or slashes.</source>
        <translation>服务器名称或地址中不能有空格或斜杠。</translation>
    </message>
    <message>
        <source>The port is a number from 1 to 65535 (PostgreSQL listens on 5432).</source>
        <translation>端口是 1 到 65535 之间的数字（PostgreSQL 使用 5432）。</translation>
    </message>
    <message>
        <source>Enter the database&apos;s name, e.g. counterdesk.</source>
        <translation>请填写数据库名称，例如 counterdesk。</translation>
    </message>
    <message>
        <source>Enter the database user&apos;s name.</source>
        <translation>请填写数据库用户名。</translation>
    </message>
    <message>
        <source>Write the address as postgresql://USER:PASSWORD@HOST:5432/DATABASE.</source>
        <translation>地址格式为 postgresql://用户:密码@主机:5432/数据库。</translation>
    </message>
    <message>
        <source>The hall&apos;s server is a PostgreSQL server: the address begins with postgresql://.</source>
        <translation>营业厅服务器是 PostgreSQL 服务器：地址以 postgresql:// 开头。</translation>
    </message>
    <message>
        <source>The server {host} does not answer on port {port} ({reason}). Check the address and the network.</source>
        <translation>服务器 {host} 的端口 {port} 没有应答（{reason}）。请检查地址和网络。</translation>
    </message>
    <message>
        <source>The server refused the user name or password.</source>
        <translation>服务器拒绝了该用户名或密码。</translation>
    </message>
    <message>
        <source>The server has no database named “{database}”.</source>
        <translation>服务器上没有名为“{database}”的数据库。</translation>
    </message>
    <message>
        <source>The server could not be used: {reason}</source>
        <translation>无法使用该服务器：{reason}</translation>
    </message>
    <message>
        <source>The database “{database}” holds no CounterDesk store. Set it up once from one counter (counterdesk --db URL init), then join it from the others.</source>
        <translation>数据库“{database}”中没有 CounterDesk 数据。请先在一个柜台上设置一次（counterdesk --db URL init），其他柜台再连接。</translation>
    </message>
    <message>
        <source>The server&apos;s store was written by a newer CounterDesk (schema {revision}). Update this counter&apos;s CounterDesk first.</source>
        <translation>服务器上的数据由更新版本的 CounterDesk 写入（结构版本 {revision}）。请先升级本柜台的 CounterDesk。</translation>
    </message>
    <message>
        <source>The server&apos;s store is at schema {revision} and this CounterDesk needs {needed}. Update the hall&apos;s other counters (the first updated one to start brings the store up to date), then join.</source>
        <translation>服务器上的数据结构版本为 {revision}，本 CounterDesk 需要 {needed}。请先升级营业厅的其他柜台（第一个启动的已升级柜台会更新数据结构），然后再连接。</translation>
    </message>
    <message>
        <source>The server&apos;s store has no station yet. Set it up once (counterdesk --db URL init), then join it.</source>
        <translation>服务器上的数据还没有网点。请先设置一次（counterdesk --db URL init），然后再连接。</translation>
    </message>
    <message>
        <source>Choose the station file the centre gave you.</source>
        <translation>请选择中心提供的网点文件。</translation>
    </message>
    <message>
        <source>{file} cannot be read ({reason}).</source>
        <translation>无法读取 {file}（{reason}）。</translation>
    </message>
    <message>
        <source>{file} is not a station file from the centre (it is not sealed with a passphrase). Ask the centre for the station&apos;s file.</source>
        <translation>{file} 不是中心下发的网点文件（未用口令封装）。请向中心索取本网点的文件。</translation>
    </message>
    <message>
        <source>Log in as one of the station&apos;s administrators.</source>
        <translation>请以本网点的管理员身份登录。</translation>
    </message>
    <message>
        <source>Enter the passphrase the centre gave with the file.</source>
        <translation>请输入中心随文件提供的口令。</translation>
    </message>
    <message>
        <source>A phone number has digits, spaces and dashes only.</source>
        <translation>电话号码只能包含数字、空格和短横线。</translation>
    </message>
</context>
<context>
    <name>notices</name>
    <message>
        <source>%1 queued; not queued: %2 refused messages, %3 without a mobile number, %4 queued before</source>
        <translation>已排队 %1 条；未排队：%2 条客户拒收短信，%3 条无手机号，%4 条此前已排队</translation>
    </message>
    <message>
        <source>%1 sent, %2 to retry later, %3 failed, %4 cancelled</source>
        <translation>已发送 %1 条，稍后重试 %2 条，失败 %3 条，已取消 %4 条</translation>
    </message>
    <message>
        <source>No notice waits to be sent.</source>
        <translation>没有等待发送的通知。</translation>
    </message>
    <message>
        <source>%1 refuses text messages from now on; %2 waiting notices cancelled</source>
        <translation>%1 自即日起拒收短信；已取消 %2 条等待中的通知</translation>
    </message>
    <message>
        <source>%1 accepts text messages again</source>
        <translation>%1 重新接收短信</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>QR code payment</source>
        <translation>扫码支付</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <source>Bank collection</source>
        <translation>银行代扣</translation>
    </message>
    <message>
        <source>Receipt %1</source>
        <translation>收据 %1</translation>
    </message>
    <message>
        <source>Bill %1</source>
        <translation>账单 %1</translation>
    </message>
    <message>
        <source>Work-order receipt %1</source>
        <translation>工单回执 %1</translation>
    </message>
    <message>
        <source>Shift report %1</source>
        <translation>交班报表 %1</translation>
    </message>
    <message>
        <source>Day report %1</source>
        <translation>日报表 %1</translation>
    </message>
    <message>
        <source>Planned outage notice</source>
        <translation>计划停电通知</translation>
    </message>
    <message>
        <source>Report %1</source>
        <translation>报表 %1</translation>
    </message>
    <message>
        <source>Arrears reminders %1</source>
        <translation>催费通知单 %1</translation>
    </message>
</context>
<context>
    <name>reconcile</name>
    <message>
        <source>%1 (%2, %3): %4 lines, %5 new, %6 matched, %7 without money taken</source>
        <translation>%1（%2，%3）：共 %4 行，新增 %5 行，已对上 %6 笔，%7 行未成交</translation>
    </message>
    <message>
        <source>%1 was imported before; nothing was added.</source>
        <translation>%1 以前已导入，未新增任何内容。</translation>
    </message>
    <message>
        <source>%1 %2 is reconciled: nothing is left.</source>
        <translation>%1 %2 已对平：没有遗留差异。</translation>
    </message>
    <message>
        <source>%1 %2 is not reconciled: %3 differences wait for a supervisor.</source>
        <translation>%1 %2 尚未对平：%3 条差异待主管处理。</translation>
    </message>
    <message>
        <source>Resolved: %1</source>
        <translation>已处理：%1</translation>
    </message>
    <message>
        <source>No difference waits.</source>
        <translation>没有待处理的差异。</translation>
    </message>
</context>
</TS>
