-- require(".default"): default(insertInbox) returns the handler of last
-- resort: it keeps the message (insertInbox, or appending to Inbox) and
-- prints where it came from.
return function(insertInbox)
  return function(msg)
    if insertInbox then
      insertInbox(msg)
    else
      Inbox = Inbox or {}
      table.insert(Inbox, msg)
    end
    print("New Message From " .. tostring(msg.From) .. ": Action = " .. tostring(msg.Action))
  end
end
