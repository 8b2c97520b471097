-- A source that does not compile: the handler's function is never closed.
Handlers.add("Register", "Register", function(msg)
  msg.reply({ Action = "Register-Response", Data = "{}" })
