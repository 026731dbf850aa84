--[[
  Appends a whole turn's replies to a conversation's reply log at once, then a turn-end
  entry, and tells the gateways' long polls; unless the delivered marker says the turn was
  appended before (append-turn-once.lua sets it).

  Input:
    KEYS[1] the conversation's reply log (a stream)
    KEYS[2] the turn's delivered marker

    ARGV[1] the notification channel
    ARGV[2] the conversation's id
    ARGV[3] how long the log is kept (s)
    ARGV[4] the most entries kept (roughly)
    ARGV[5] the id of the message the turn answers
    ARGV[6..] one reply (json) an argument

  Output:
    1  appended
    0  appended before: nothing done
]]
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
for i = 6, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'type', 'reply', 'reply', ARGV[i])
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'type', 'turn-end', 'inReplyTo', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
