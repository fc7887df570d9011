<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>messages</name>
    <message>
        <source>{file}, line {line}, column {column}: the cell is empty.</source>
        <translation>{file}，第 {line} 行，{column} 列：单元格为空。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not a date (YYYY-MM-DD, YYYYMMDD or an Excel date number).</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是日期（应为 YYYY-MM-DD、YYYYMMDD 或 Excel 日期序号）。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not a number with at most {places} decimals.</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是最多 {places} 位小数的数字。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: “{value}” is not an amount of money (at most two decimals).</source>
        <translation>{file}，第 {line} 行，{column} 列：“{value}”不是金额（最多两位小数）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the header has no column {expected} (it has: {header}).</source>
        <translation>{file}，第 {line} 行：表头缺少列 {expected}（现有：{header}）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the file is not in the encoding {encoding}.</source>
        <translation>{file}，第 {line} 行：文件不是 {encoding} 编码。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the file ends in the middle of a character; it seems cut off.</source>
        <translation>{file}，第 {line} 行：文件在一个字符中间结束，似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the file is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV.</source>
        <translation>{file}，第 {line} 行：文件既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 CSV。</translation>
    </message>
    <message>
        <source>{file}: cannot be read ({reason}).</source>
        <translation>{file}：无法读取（{reason}）。</translation>
    </message>
    <message>
        <source>{file}: the file is empty.</source>
        <translation>{file}：文件为空。</translation>
    </message>
    <message>
        <source>{file}, line {line}: a quoted cell is never closed; the file seems cut off.</source>
        <translation>{file}，第 {line} 行：引号内的单元格没有结束，文件似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the line is not valid CSV.</source>
        <translation>{file}，第 {line} 行：该行不是有效的 CSV。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the last line has {count} of {expected} cells and no line end; the file seems cut off.</source>
        <translation>{file}，第 {line} 行：最后一行只有 {count} 个单元格（应为 {expected} 个）且没有换行，文件似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: {count} cells where the header has {expected}.</source>
        <translation>{file}，第 {line} 行：有 {count} 个单元格，表头为 {expected} 列。</translation>
    </message>
    <message>
        <source>{file}: cannot be read as an Excel workbook ({reason}).</source>
        <translation>{file}：无法作为 Excel 工作簿读取（{reason}）。</translation>
    </message>
    <message>
        <source>{file}: the workbook has no sheet “{sheet}”.</source>
        <translation>{file}：工作簿中没有工作表“{sheet}”。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: a formula without a saved value; open and save the workbook in Excel, or paste the values.</source>
        <translation>{file}，第 {line} 行，{column} 列：公式没有保存的计算值，请在 Excel 中打开并保存工作簿，或粘贴为数值。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the last line has no line end; the file seems cut off.</source>
        <translation>{file}，第 {line} 行：最后一行没有换行，文件似乎不完整。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the line is {count} characters long where the layout needs {expected}.</source>
        <translation>{file}，第 {line} 行：该行长度为 {count}，格式要求 {expected}。</translation>
    </message>
    <message>
        <source>{file}, line {line}, column {column}: the text is not in the encoding {encoding}.</source>
        <translation>{file}，第 {line} 行，{column} 列：文本不是 {encoding} 编码。</translation>
    </message>
</context>
</TS>