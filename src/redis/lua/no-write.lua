--[[
  The write of an acknowledgement that carries none: writes nothing.

  Input: none. Output: 0.
]]
return 0
