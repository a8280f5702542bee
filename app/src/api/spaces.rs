use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::registration::RegistrationLine;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanySpace {
    pub id: i64,
    pub name: String,
    pub roles: Vec<Role>,
    /// For a structure reached through a delegation: through which structure, and what.
    pub delegation: Option<String>,
    /// Where its space opens: the trainings, or the orders for a delegation to read them.
    pub link: String,
    pub registrations: Vec<RegistrationLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySpaces {
    pub display_name: String,
    pub own_trainings: Vec<RegistrationLine>,
    /// Registrations whose questionnaire is still to fill.
    pub surveys_to_fill: Vec<i64>,
    pub companies: Vec<CompanySpace>,
    /// The provider the user works for, if he is on its staff.
    pub provider: Option<String>,
}

/// The logged-in user's spaces: his own trainings, and each company where he holds a right.
#[server(endpoint = "spaces/mine")]
pub async fn get_my_spaces() -> Result<MySpaces, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::server::{companies, registrations};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?;
        // Nothing is granted to an address its owner has not proven: an empty space,
        // with the frame's notice to confirm it.
        let Some(email) = user.proven_email() else {
            return Ok(MySpaces {
                display_name: user.display_name(),
                own_trainings: Vec::new(),
                surveys_to_fill: Vec::new(),
                companies: Vec::new(),
                provider: None,
            });
        };
        let own_trainings = registrations::of_participant(caller.db(), email).await?;
        let mut spaces = Vec::new();
        for (company, _) in companies::of_user(caller.db(), email).await? {
            let access = caller.require_company(company.id, Need::Member).await?;
            spaces.push(CompanySpace {
                id: company.id,
                name: access.name,
                roles: access.roles,
                delegation: None,
                link: format!("/entreprise/{}", company.id),
                registrations: registrations::of_company(caller.db(), company.id).await?,
            });
        }
        // Structures that delegated rights to one where the user holds a role.
        for (company, via, scope) in crate::server::delegations::companies_for(caller.db(), email).await? {
            if spaces.iter().any(|s| s.id == company.id) {
                continue;
            }
            // A member (a delegation to register) sees the company's trainings; a
            // delegation to read the orders opens on them.
            let member = caller.may(company.id, Need::Member).await?;
            let registrations = if member { registrations::of_company(caller.db(), company.id).await? } else { Vec::new() };
            let link = if member {
                format!("/entreprise/{}", company.id)
            } else {
                format!("/entreprise/{}/commandes", company.id)
            };
            spaces.push(CompanySpace {
                id: company.id,
                name: company.name,
                roles: Vec::new(),
                delegation: Some(format!("Par délégation à {via} : {}", scope.label())),
                link,
                registrations,
            });
        }
        let surveys_to_fill = crate::server::surveys::pending_for(caller.db(), email).await?;
        let provider = caller.provider().await?.map(|p| p.provider_name);
        Ok(MySpaces { display_name: user.display_name(), own_trainings, surveys_to_fill, companies: spaces, provider })
    }
    .await)
    .await
}
