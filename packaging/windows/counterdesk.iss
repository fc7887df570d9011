; Inno Setup script: the Windows installer of CounterDesk (Windows 10/11, x64), per machine.
; Built by .github/workflows/windows.yml after PyInstaller made dist\counterdesk from packaging\counterdesk.spec:
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\counterdesk.iss      -> dist\CounterDesk-0.1.0-setup.exe
; The program lives in Program Files; each user's data in %LOCALAPPDATA%\CounterDesk (app/paths.py), which
; the uninstaller never deletes. An update is this installer run over an older installation (same AppId).
; Qt 6 and Python 3.11 do not run on Windows 7 or 8: Setup refuses them with the message below. docs/INSTALL.md.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Bundle
  #define Bundle "..\..\dist\counterdesk"
#endif
#ifndef IconFile
  ; drawn from resources\icons\counterdesk.svg by packaging\icons.py while the spec builds (into its workpath,
  ; build\pyinstaller\<spec name>)
  #define IconFile "..\..\build\pyinstaller\counterdesk\icons\counterdesk.ico"
#endif

[Setup]
AppId={{6C1F5B0E-3D1A-4C55-9A55-2C7D3E0C9D11}
AppName=CounterDesk
AppVersion={#AppVersion}
AppVerName=CounterDesk {#AppVersion}
AppPublisher=CounterDesk
DefaultDirName={autopf}\CounterDesk
DefaultGroupName=CounterDesk
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=CounterDesk-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\counterdesk.exe
UninstallDisplayName=CounterDesk 营业厅柜台
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Messages]
WinVersionTooLowError=CounterDesk needs Windows 10 or 11 (64-bit): Qt 6 and Python 3.11, on which it is built, do not run on Windows 7 or 8.%n%n营业厅柜台需要 Windows 10 或 11（64 位）：它所用的 Qt 6 和 Python 3.11 不能在 Windows 7 或 8 上运行。

[Tasks]
Name: "desktopicon"; Description: "Desktop shortcut / 桌面快捷方式"; GroupDescription: "Shortcuts / 快捷方式"

[InstallDelete]
; an update replaces the whole bundle: no library of the older version stays behind
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; counterdeskw.exe is the window without a console box; counterdesk.exe is the command line
Name: "{autoprograms}\营业厅柜台 CounterDesk"; Filename: "{app}\counterdeskw.exe"; WorkingDir: "{app}"; Comment: "CounterDesk 营业厅柜台"
Name: "{autodesktop}\营业厅柜台 CounterDesk"; Filename: "{app}\counterdeskw.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\counterdeskw.exe"; Description: "Start CounterDesk / 启动营业厅柜台"; Flags: nowait postinstall skipifsilent unchecked

[UninstallDelete]
; Only what the program itself wrote into its own folder. Each user's data, %LOCALAPPDATA%\CounterDesk
; ({localappdata}\CounterDesk), is never listed here: it holds the station's financial records.
Type: filesandordirs; Name: "{app}\_internal\app\db\migrations\__pycache__"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('CounterDesk was removed. Your data was kept in %LOCALAPPDATA%\CounterDesk (each user''s own folder); delete it by hand only when it is no longer needed.' + #13#10 + #13#10 +
           '营业厅柜台已卸载。您的数据保留在 %LOCALAPPDATA%\CounterDesk（每个用户自己的文件夹）；只有不再需要时才手动删除。', mbInformation, MB_OK);
end;
