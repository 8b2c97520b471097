-- require(".handlers-utils"): the helpers also reachable as Handlers.utils
-- (hasMatchingTag, hasMatchingTagOf, hasMatchingData, reply, continue).
return require(".handlers").utils
