-- Driven by neovim.test.ts: attaches calc-language-server to a .calc buffer with Neovim's own LSP client
-- (0.7 API: vim.lsp.start_client), waits for diagnostics, asks for a hover, and writes both as JSON.
-- Inputs come from the environment so that the test owns every path.
local file = os.getenv('CALC_NVIM_FILE')
local out = os.getenv('CALC_NVIM_OUT')
local server = os.getenv('CALC_NVIM_SERVER')
local hover_line = tonumber(os.getenv('CALC_NVIM_HOVER_LINE'))   -- 0-based, as LSP counts
local hover_char = tonumber(os.getenv('CALC_NVIM_HOVER_CHAR'))

local result = { attached = false, diagnostics = {}, hover = vim.NIL, errors = {} }
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'calc'
  local id = vim.lsp.start_client({
    name = 'calc',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    on_exit = function(code) if code ~= 0 then table.insert(result.errors, 'server exited with ' .. code) end end,
  })
  if not id then error('start_client failed') end
  result.attached = vim.lsp.buf_attach_client(buf, id)

  -- vim.wait runs the event loop until the condition holds: it waits on the server's notification, not a clock.
  vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, code = code, message = d.message })
  end

  local client = vim.lsp.get_client_by_id(id)
  local response = client.request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = hover_line, character = hover_char },
  }, 20000, buf)
  if response and response.result then
    local contents = response.result.contents
    -- MarkupContent, MarkedString or MarkedString[]: Neovim's own converter turns any of them into lines.
    result.hover = table.concat(vim.lsp.util.convert_input_to_markdown_lines(contents), '\n')
  elseif response and response.err then
    table.insert(result.errors, vim.inspect(response.err))
  end
  client.stop()
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
