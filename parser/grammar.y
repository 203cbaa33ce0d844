/* placeholder grammar: being written */
%name edParse
%token_prefix TK_
input ::= SEMI.
