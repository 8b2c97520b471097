-- A process whose load-time code loops: its spawn message never ends.
while true do end
