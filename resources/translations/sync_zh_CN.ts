<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Sync conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站所</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Station's value</source>
        <translation>站所的值</translation>
    </message>
    <message>
        <source>Centre's value</source>
        <translation>中心的值</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Keep the station's value</source>
        <translation>采用站所的值</translation>
    </message>
    <message>
        <source>Keep the centre's value</source>
        <translation>采用中心的值</translation>
    </message>
    <message>
        <source>Mark as seen</source>
        <translation>标记为已查看</translation>
    </message>
    <message>
        <source>Bill paid twice while apart</source>
        <translation>离线期间同一账单被重复缴费</translation>
    </message>
    <message>
        <source>Conflict %1 decided.</source>
        <translation>冲突 %1 已处理。</translation>
    </message>
</context>
<context>
    <name>StationsDialog</name>
    <message>
        <source>Stations and their sync</source>
        <translation>各供电所同步情况</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>供电所</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Last exchange</source>
        <translation>最近交换</translation>
    </message>
    <message>
        <source>Units applied</source>
        <translation>已应用单元</translation>
    </message>
    <message>
        <source>Received, being applied</source>
        <translation>已收到、正在入账</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Held after a gap</source>
        <translation>缺号暂存</translation>
    </message>
    <message>
        <source>Quarantined</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation>未决冲突</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>silent too long</source>
        <translation>失联过久</translation>
    </message>
    <message>
        <source>quarantined: %1</source>
        <translation>已隔离：%1</translation>
    </message>
    <message>
        <source>key revoked</source>
        <translation>密钥已吊销</translation>
    </message>
    <message>
        <source>last refusal: %1</source>
        <translation>最近一次拒绝：%1</translation>
    </message>
    <message>
        <source>%1 stations, %2 silent longer than the company setting.</source>
        <translation>共 %1 个供电所，其中 %2 个失联超过公司设定的期限。</translation>
    </message>
</context>
<context>
    <name>SyncDialog</name>
    <message>
        <source>The stick or disk is full: the bundle was not written and nothing was left there. Nothing was changed.</source>
        <translation>U 盘或磁盘已满：同步包没有写入，也没有留下任何文件。没有任何改动。</translation>
    </message>
    <message>
        <source>The file could not be written or read (%1). Nothing was changed.</source>
        <translation>文件无法写入或读取（%1）。未做任何更改。</translation>
    </message>
    <message>
        <source>Sync with the centre</source>
        <translation>与中心同步</translation>
    </message>
    <message>
        <source>Answer for station:</source>
        <translation>回复给站所：</translation>
    </message>
    <message>
        <source>Export to folder…</source>
        <translation>导出到文件夹…</translation>
    </message>
    <message>
        <source>Import from file…</source>
        <translation>从文件导入…</translation>
    </message>
    <message>
        <source>This store does not sync with a centre yet.</source>
        <translation>本数据库尚未与中心同步。</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Last exchange: %1. Units of work waiting for the centre: %2.</source>
        <translation>上次交换：%1。等待中心确认的业务单元：%2。</translation>
    </message>
    <message>
        <source>This is the centre. Last import: %1. Open conflicts: %2.</source>
        <translation>本数据库是中心。上次导入：%1。未处理冲突：%2。</translation>
    </message>
    <message>
        <source>Choose the folder (the USB stick)</source>
        <translation>选择文件夹（U 盘）</translation>
    </message>
    <message>
        <source>Choose the bundle</source>
        <translation>选择同步包</translation>
    </message>
    <message>
        <source>Sync bundles (*.cdsync)</source>
        <translation>同步包 (*.cdsync)</translation>
    </message>
    <message>
        <source>Working… do not remove the USB stick.</source>
        <translation>正在处理… 请勿拔出 U 盘。</translation>
    </message>
</context>
<context>
    <name>SyncLink</name>
    <message>
        <source>The exchange with the centre failed; it is tried again later.</source>
        <translation>与中心的数据交换失败，稍后自动重试。</translation>
    </message>
</context>
<context>
    <name>SyncLinkLabel</name>
    <message>
        <source>Centre: connecting…</source>
        <translation>中心：连接中…</translation>
    </message>
    <message>
        <source>Exchanges with the centre at %1 in the background.</source>
        <translation>在后台与中心 %1 自动交换数据。</translation>
    </message>
    <message>
        <source>Centre: online</source>
        <translation>中心：在线</translation>
    </message>
    <message>
        <source>Centre: OFFLINE</source>
        <translation>中心：离线</translation>
    </message>
</context>
<context>
    <name>SyncNetworkPlugin</name>
    <message>
        <source>Stations and their sync…</source>
        <translation>各供电所同步情况…</translation>
    </message>
</context>
<context>
    <name>SyncPlugin</name>
    <message>
        <source>Sync…</source>
        <translation>同步…</translation>
    </message>
    <message>
        <source>Sync conflicts…</source>
        <translation>同步冲突…</translation>
    </message>
</context>
<context>
    <name>SyncStatusLabel</name>
    <message>
        <source>Sync: not set up</source>
        <translation>同步：未设置</translation>
    </message>
    <message>
        <source>This store does not sync with a centre.</source>
        <translation>本数据库不与中心同步。</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Sync: %1, %2 waiting</source>
        <translation>同步：%1，%2 项待确认</translation>
    </message>
    <message>
        <source>Last exchange with the centre: %1. Units of work waiting for the centre's confirmation: %2.</source>
        <translation>上次与中心交换：%1。等待中心确认的业务单元：%2。</translation>
    </message>
    <message>
        <source>NOT SYNCED for over %1 days</source>
        <translation>已超过 %1 天未同步</translation>
    </message>
    <message>
        <source>Take a bundle to the centre (Tools → Sync…).</source>
        <translation>请把同步包带到中心（工具 → 同步…）。</translation>
    </message>
    <message>
        <source>Centre: last import %1, %2 conflicts</source>
        <translation>中心：上次导入 %1，%2 个冲突</translation>
    </message>
    <message>
        <source>This store is the centre.</source>
        <translation>本数据库是中心。</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>give the passphrase at a terminal, with --passphrase-file FILE or --passphrase-stdin</source>
        <translation>请在终端输入口令，或使用 --passphrase-file FILE 或 --passphrase-stdin</translation>
    </message>
    <message>
        <source>{file} cannot be read ({why})</source>
        <translation>无法读取 {file}（{why}）</translation>
    </message>
    <message>
        <source>{file} cannot be written ({why}); nothing was changed, the outbox is intact</source>
        <translation>无法写入 {file}（{why}）；未做任何更改，待发数据完好</translation>
    </message>
    <message>
        <source>{file} cannot be written: the disk or stick is full; no bundle was left there, nothing was changed, the outbox is intact</source>
        <translation>无法写入 {file}：磁盘或 U 盘已满；那里没有留下同步包，没有任何改动，待发队列完好</translation>
    </message>
    <message>
        <source>the two passphrases differ</source>
        <translation>两次输入的口令不一致</translation>
    </message>
    <message>
        <source>--listen takes HOST:PORT, such as 0.0.0.0:8443 ({given})</source>
        <translation>--listen 需要 主机:端口，例如 0.0.0.0:8443（给出的是 {given}）</translation>
    </message>
    <message>
        <source>--cert and --key go together (the certificate and its private key)</source>
        <translation>--cert 和 --key 须同时给出（证书及其私钥）</translation>
    </message>
    <message>
        <source>the certificate or key cannot be used ({why})</source>
        <translation>证书或私钥无法使用（{why}）</translation>
    </message>
    <message>
        <source>the log file {file} cannot be written ({why})</source>
        <translation>日志文件 {file} 无法写入（{why}）</translation>
    </message>
    <message>
        <source>cannot listen on {listen} ({why})</source>
        <translation>无法在 {listen} 监听（{why}）</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>SILENT</source>
        <translation>失联</translation>
    </message>
    <message>
        <source>QUARANTINED</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <source>REVOKED</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <source>applied {applied}, being applied {received}, waiting {waiting}, held {held}, quarantined {quarantined}, conflicts {conflicts}</source>
        <translation>已应用 {applied}，已收到正在入账 {received}，待处理 {waiting}，缺号暂存 {held}，已隔离 {quarantined}，冲突 {conflicts}</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>{name} is not a CounterDesk sync bundle.</source>
        <translation>{name} 不是 CounterDesk 同步包。</translation>
    </message>
    <message>
        <source>Bundle {name} is cut short ({have} of {want} bytes): it was not copied completely. Copy it again.</source>
        <translation>同步包 {name} 不完整（{have}/{want} 字节）：没有复制完整。请重新复制。</translation>
    </message>
    <message>
        <source>Bundle {name} is damaged: its {part} does not match its checksum (the file was changed after it was made). Copy it again from the station.</source>
        <translation>同步包 {name} 已损坏：其{part}与校验值不符（文件在生成后被改动）。请从站所重新复制。</translation>
    </message>
    <message>
        <source>Bundle {name} is refused: its signature does not match the key of station {station} (forged, or changed by someone without the key).</source>
        <translation>同步包 {name} 被拒绝：其签名与站所 {station} 的密钥不符（伪造，或被无密钥者改动）。</translation>
    </message>
    <message>
        <source>This store does not take part in sync yet (no station or centre identity).</source>
        <translation>本数据库尚未参与同步（没有站所或中心身份）。</translation>
    </message>
    <message>
        <source>Only the centre can do this.</source>
        <translation>只有中心可以执行此操作。</translation>
    </message>
    <message>
        <source>Only a station can do this.</source>
        <translation>只有站所可以执行此操作。</translation>
    </message>
    <message>
        <source>Bundle {name} belongs to another centre; it was refused.</source>
        <translation>同步包 {name} 属于另一个中心，已拒绝。</translation>
    </message>
    <message>
        <source>Bundle {name} is for station {station}, not for this station; it was refused.</source>
        <translation>同步包 {name} 是给站所 {station} 的，不是本站所的，已拒绝。</translation>
    </message>
    <message>
        <source>Bundle {name} comes from a station this centre does not know; it was refused.</source>
        <translation>同步包 {name} 来自本中心不认识的站所，已拒绝。</translation>
    </message>
    <message>
        <source>Bundle {name} claims station {station} but was signed with the key of {other}; it was refused.</source>
        <translation>同步包 {name} 自称来自站所 {station}，却是用 {other} 的密钥签名的，已拒绝。</translation>
    </message>
    <message>
        <source>Bundle {name} was made by a newer CounterDesk (schema {theirs}, this one has {ours}); update this program first. Nothing was applied.</source>
        <translation>同步包 {name} 由较新版本的 CounterDesk 生成（结构 {theirs}，本程序为 {ours}）；请先升级本程序。未应用任何内容。</translation>
    </message>
    <message>
        <source>Bundle {name} is a {kind} bundle; it cannot be imported here.</source>
        <translation>同步包 {name} 是 {kind} 类型，不能在这里导入。</translation>
    </message>
    <message>
        <source>Station {station} is quarantined: {why} A supervisor must look at it; nothing was applied.</source>
        <translation>站所 {station} 已被隔离：{why} 需由主管查看；未应用任何内容。</translation>
    </message>
    <message>
        <source>unit {seq} arrived again with different content (a station restored from an old backup re-uses its numbers).</source>
        <translation>业务单元 {seq} 再次到达但内容不同（站所从旧备份恢复后重复使用了编号）。</translation>
    </message>
    <message>
        <source>the bundle does not continue the history the centre has (unit {seq}).</source>
        <translation>该同步包与中心已有的记录不衔接（业务单元 {seq}）。</translation>
    </message>
    <message>
        <source>Bundle {name} is refused: unit {seq} does not match its hash.</source>
        <translation>同步包 {name} 被拒绝：业务单元 {seq} 与其哈希不符。</translation>
    </message>
    <message>
        <source>Bundle {name} is refused: the audit chain of station {station} does not hold at entry {seq} ({why}).</source>
        <translation>同步包 {name} 被拒绝：站所 {station} 的审计链在第 {seq} 条处断开（{why}）。</translation>
    </message>
    <message>
        <source>Bundle {name} is refused: the centre acknowledges unit {seq} with other content than this station wrote.</source>
        <translation>同步包 {name} 被拒绝：中心确认的业务单元 {seq} 与本站所写入的内容不同。</translation>
    </message>
    <message>
        <source>This store already takes part in sync.</source>
        <translation>本数据库已参与同步。</translation>
    </message>
    <message>
        <source>Wrote {units} units of work ({rows} changed rows) to {name}; they stay here until the centre confirms them.</source>
        <translation>已将 {units} 个业务单元（{rows} 行变更）写入 {name}；中心确认之前它们仍保留在本机。</translation>
    </message>
    <message>
        <source>Wrote the answer for station {station} to {name}: {units} units ({rows} rows) and the confirmation of its units up to {ack}.</source>
        <translation>已将给站所 {station} 的回复写入 {name}：{units} 个单元（{rows} 行），并确认其业务单元至第 {ack} 个。</translation>
    </message>
    <message>
        <source>Applied {units} units ({rows} changed rows) from {name}; {conflicts} conflicts for a supervisor.</source>
        <translation>已应用 {name} 中的 {units} 个业务单元（{rows} 行变更）；{conflicts} 个冲突待主管处理。</translation>
    </message>
    <message>
        <source>Bundle {name} was applied before; nothing changed.</source>
        <translation>同步包 {name} 已应用过；没有任何变化。</translation>
    </message>
    <message>
        <source>The centre received {units} units ({rows} changed rows) from {name}; it applies them in the background.</source>
        <translation>中心已收到来自 {name} 的 {units} 个工作单元（{rows} 行变更），正在后台入账。</translation>
    </message>
    <message>
        <source>Bundle {name} starts at unit {first}, but units {missing} have not arrived: it is kept and applied when they come.</source>
        <translation>同步包 {name} 从业务单元 {first} 开始，但单元 {missing} 尚未到达：已保存，待其到达后再应用。</translation>
    </message>
    <message>
        <source>Applied {rows} changed rows from the centre; the centre confirmed this station's units up to {ack}.</source>
        <translation>已应用中心的 {rows} 行变更；中心已确认本站所的业务单元至第 {ack} 个。</translation>
    </message>
    <message>
        <source>No station with code {code} takes part in sync.</source>
        <translation>没有编码为 {code} 的站所参与同步。</translation>
    </message>
    <message>
        <source>Wrote the first bundle of station {station} to {name} ({rows} rows), protected by the passphrase. Carry it to the station and import it there.</source>
        <translation>已将站所 {station} 的首个同步包写入 {name}（{rows} 行），并以口令保护。请带到站所并在那里导入。</translation>
    </message>
    <message>
        <source>This store is now station {station}: {rows} rows from the centre; it works offline from now on.</source>
        <translation>本数据库现在是站所 {station}：来自中心的 {rows} 行；从现在起可离线工作。</translation>
    </message>
    <message>
        <source>The passphrase is wrong, or the provisioning file was changed; nothing was set up.</source>
        <translation>口令错误，或开站文件被改动；未做任何设置。</translation>
    </message>
    <message>
        <source>A station is set up only on an empty store; this one already has data.</source>
        <translation>站所只能在空数据库上设置；本数据库已有数据。</translation>
    </message>
    <message>
        <source>The passphrase needs at least 8 characters.</source>
        <translation>口令至少需要 8 个字符。</translation>
    </message>
    <message>
        <source>Wrote the request of station {station} to join the centre to {name}. Carry it to the centre; import the answer here ({clerks} clerks, {accounts} accounts).</source>
        <translation>已将站点 {station} 加入中心的申请写入 {name}。请把它带到中心，再在这里导入中心的答复（{clerks} 名操作员，{accounts} 个户号）。</translation>
    </message>
    <message>
        <source>{name} is not a request to join the centre, or it was changed after it was made.</source>
        <translation>{name} 不是加入中心的申请，或者生成后被改动过。</translation>
    </message>
    <message>
        <source>The centre already has another station with the code {code}; give the joining station another code first.</source>
        <translation>中心已有另一个编码为 {code} 的站点；请先给要加入的站点换一个编码。</translation>
    </message>
    <message>
        <source>Station {code} cannot join yet: these logins, staff, account or meter numbers are used at the centre by another station: {numbers}. Change them at the station and make a new request.</source>
        <translation>站点 {code} 暂不能加入：以下登录名、工号、户号或表号在中心已被其他站点使用：{numbers}。请在站点修改后重新生成申请。</translation>
    </message>
    <message>
        <source>Station {code} cannot join yet: these logins, staff, account or meter numbers are used at the centre by another station: {numbers}. Change them at the station (a staff number with: counterdesk clerk renumber {login} NEW_STAFF_NO --as ADMIN) and make a new request.</source>
        <translation>站点 {code} 暂不能加入：以下登录名、工号、户号或表号在中心已被其他站点使用：{numbers}。请在站点修改（工号用：counterdesk clerk renumber {login} 新工号 --as 管理员登录名）后重新生成申请。</translation>
    </message>
    <message>
        <source>Station {station} may join: its answer is in {name}, protected by the passphrase. Import it at the station; its history then comes up with its next bundle.</source>
        <translation>站点 {station} 可以加入：答复已写入 {name}，由口令保护。请在站点导入；之后它的历史数据随下一个同步包上传。</translation>
    </message>
    <message>
        <source>This answer of the centre is for another store, or for an older request of this one; nothing was changed.</source>
        <translation>这份中心答复属于另一个数据库，或属于本库较早的一次申请；没有任何改动。</translation>
    </message>
    <message>
        <source>This store is now station {station} of the centre: {rows} rows of its history ({units} units) wait in its outbox for the next bundle.</source>
        <translation>本库现在是中心的站点 {station}：其历史数据 {rows} 行（{units} 个单元）已在待发队列中，等待下一个同步包。</translation>
    </message>
    <message>
        <source>Only an administrator can do this.</source>
        <translation>只有管理员可以执行此操作。</translation>
    </message>
    <message>
        <source>Only a supervisor can decide a conflict.</source>
        <translation>只有主管可以处理冲突。</translation>
    </message>
    <message>
        <source>Choose the station's value or the centre's.</source>
        <translation>请选择站所的值或中心的值。</translation>
    </message>
    <message>
        <source>There is no conflict number {no}.</source>
        <translation>没有编号为 {no} 的冲突。</translation>
    </message>
    <message>
        <source>Conflict {no} is already decided.</source>
        <translation>冲突 {no} 已处理。</translation>
    </message>
    <message>
        <source>No station has the code {code}.</source>
        <translation>没有编码为 {code} 的站所。</translation>
    </message>
    <message>
        <source>The centre at {url} does not answer ({why}); the changes stay here and are sent later.</source>
        <translation>中心 {url} 没有应答（{why}）；变更保留在本机，稍后再发送。</translation>
    </message>
    <message>
        <source>{url} is not an address of the centre's sync service (http://host:port or https://host:port).</source>
        <translation>{url} 不是中心同步服务的地址（应为 http://主机:端口 或 https://主机:端口）。</translation>
    </message>
    <message>
        <source>No address of the centre is set (company setting “Centre's sync address”, or --to URL).</source>
        <translation>尚未设置中心地址（公司设置“中心同步服务地址”，或 --to URL）。</translation>
    </message>
    <message>
        <source>The centre answered with something that is not a sync bundle (HTTP {status}).</source>
        <translation>中心的应答不是同步数据包（HTTP {status}）。</translation>
    </message>
    <message>
        <source>Exchanged with the centre: sent {units} units ({rows} rows), the centre {result}; received {down} changed rows.</source>
        <translation>已与中心交换：发送 {units} 个单元（{rows} 行），中心{result}；收到 {down} 行变更。</translation>
    </message>
    <message>
        <source>Exchanged with the centre: nothing to send; received {down} changed rows.</source>
        <translation>已与中心交换：没有要发送的变更；收到 {down} 行变更。</translation>
    </message>
    <message>
        <source>applied them</source>
        <translation>已应用</translation>
    </message>
    <message>
        <source>received them and applies them now</source>
        <translation>已收到，正在入账</translation>
    </message>
    <message>
        <source>had them already</source>
        <translation>此前已收到</translation>
    </message>
    <message>
        <source>keeps them until missing units arrive</source>
        <translation>暂存，待缺失的单元到达后应用</translation>
    </message>
    <message>
        <source>The centre refused the request: it is not a proper sync request ({why}).</source>
        <translation>中心拒绝了请求：不是有效的同步请求（{why}）。</translation>
    </message>
    <message>
        <source>The centre refused the request: content type {got} instead of a sync bundle.</source>
        <translation>中心拒绝了请求：内容类型为 {got}，不是同步数据包。</translation>
    </message>
    <message>
        <source>The centre refused the request: it is larger than the {limit} bytes it accepts.</source>
        <translation>中心拒绝了请求：超过其接受的 {limit} 字节上限。</translation>
    </message>
    <message>
        <source>The centre stopped waiting: the request did not arrive within {seconds} seconds.</source>
        <translation>中心停止等待：请求未在 {seconds} 秒内传完。</translation>
    </message>
    <message>
        <source>The centre refused the request: this computer's clock is {seconds} seconds off the centre's. Set the clock right.</source>
        <translation>中心拒绝了请求：本机时钟与中心相差 {seconds} 秒。请校准时钟。</translation>
    </message>
    <message>
        <source>The centre does not know this station (or its key); it must be provisioned again.</source>
        <translation>中心不认识本供电所（或其密钥）；需要重新开通。</translation>
    </message>
    <message>
        <source>The centre has revoked this station's key; it must be provisioned again.</source>
        <translation>中心已吊销本供电所的密钥；需要重新开通。</translation>
    </message>
    <message>
        <source>The centre refused the request: its signature does not match this station's key.</source>
        <translation>中心拒绝了请求：签名与本供电所的密钥不符。</translation>
    </message>
    <message>
        <source>The centre refused the request: it was sent before (a replayed request).</source>
        <translation>中心拒绝了请求：该请求此前已发送过（重放的请求）。</translation>
    </message>
    <message>
        <source>The centre is taking too many requests from this station; it will try again in {seconds} seconds.</source>
        <translation>本供电所的请求过于频繁；将在 {seconds} 秒后重试。</translation>
    </message>
    <message>
        <source>The centre refused the request: the bundle is of station {bundle}, the request of {request}.</source>
        <translation>中心拒绝了请求：数据包属于供电所 {bundle}，请求却来自 {request}。</translation>
    </message>
    <message>
        <source>The centre refused the bundle: it carries a row of another station ({table} {id}); a station sends only its own.</source>
        <translation>中心拒绝了数据包：其中含有其他供电所的数据（{table} {id}）；供电所只能发送自己的数据。</translation>
    </message>
    <message>
        <source>The centre could not take the bundle now (an error at the centre); it will be sent again.</source>
        <translation>中心暂时无法接收数据包（中心出错）；稍后将重新发送。</translation>
    </message>
    <message>
        <source>The centre's database is not answering; the bundle will be sent again.</source>
        <translation>中心数据库没有应答；稍后将重新发送数据包。</translation>
    </message>
</context>
</TS>